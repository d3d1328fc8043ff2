// A release script of the kind every monorepo has: async because it awaits a registry, sync I/O everywhere else.
// Each marked line stalls the event loop while it runs; projects silence this file with `overrides` in
// deadbolt.config.json rather than rewrite it.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Manifest {
  name: string;
  version: string;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

async function publishedVersion(name: string): Promise<string | undefined> {
  const response = await fetch(`https://registry.npmjs.org/${name}/latest`);
  return response.ok ? ((await response.json()) as { version: string }).version : undefined;
}

export async function release(packages: string[], outDir: string): Promise<void> {
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true }); // expect: sync-io-in-async
  for (const dir of packages) {
    const manifest = readManifest(dir); // expect: sync-io-in-async
    if ((await publishedVersion(manifest.name)) === manifest.version) continue;
    const tarball = execSync('npm pack --silent', { cwd: dir, encoding: 'utf8' }).trim(); // expect: sync-io-in-async
    writeFileSync(path.join(outDir, `${manifest.name}.txt`), tarball); // expect: sync-io-in-async
  }
  const status = spawnSync('git', ['status', '--porcelain']); // expect: sync-io-in-async
  if (status.status !== 0) throw new Error('git failed');
}

/** Sync code may do sync I/O: only coroutines are reported. */
export function versionOf(dir: string): string {
  return readManifest(dir).version;
}
