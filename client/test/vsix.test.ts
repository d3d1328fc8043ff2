// The VSIX as `npm run package` makes it, on the Node running the tests (Node 20 included): one package for every
// platform (no target declared, no native executable inside), production bundles (minified, no source maps and no
// links to maps that are not there), the esbuild-wasm files the bundled adapter compiles TypeScript with, and pages
// whose every link leads somewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as yauzl from 'yauzl';

const client = join(__dirname, '..', '..');
const repo = join(client, '..');
const REPOSITORY = 'https://github.com/deadbolt-dev/deadbolt/';

/** Every file of a zip archive, by name. */
function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** True for an ELF, Mach-O or PE executable, whatever its name. */
function isNativeExecutable(bytes: Buffer): boolean {
  const magic = bytes.subarray(0, 4).toString('hex');
  return magic === '7f454c46' || ['feedface', 'feedfacf', 'cefaedfe', 'cffaedfe', 'cafebabe'].includes(magic) || bytes.subarray(0, 2).toString('latin1') === 'MZ';
}

let packedFiles: Map<string, Buffer> | undefined;

/**
 * A bound on a hung packaging, not a speed target: two production bundles and vsce took 171 s, and once over 240 s,
 * on two cores at a load average above 30. Below the test's own timeout, itself below the runner's per-file one.
 */
const PACKAGING_MS = 900_000;

test('npm run package makes one universal VSIX of production bundles, with esbuild as WebAssembly', { timeout: PACKAGING_MS + 60_000 }, async () => {
  // Bounded below the test's own timeout so a hung packaging fails here, saying so.
  const packed = spawnSync(process.execPath, [join(client, 'scripts', 'package-vsix.mjs')], { cwd: client, encoding: 'utf8', timeout: PACKAGING_MS });
  assert.equal(packed.status, 0, `${packed.error?.message ?? ''}\n${packed.stdout}\n${packed.stderr}`);
  const { name, version } = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8')) as { name: string; version: string };
  const files = await readZip(join(client, 'dist-vsix', `${name}-${version}.vsix`));
  packedFiles = files;

  const manifest = files.get('extension.vsixmanifest')!.toString('utf8');
  assert.doesNotMatch(manifest, /TargetPlatform/, 'no target platform: the package serves every platform');
  for (const [file, bytes] of files) assert.ok(!isNativeExecutable(bytes), `${file} is a native executable`);
  assert.ok(files.has('extension/dist/esbuild-wasm/esbuild.wasm'));
  assert.ok(files.has('extension/dist/esbuild-wasm/lib/main.js'));
  assert.ok(files.has('extension/dist/esbuild-wasm/bin/esbuild'));

  const scripts = [...files.keys()].filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 10, scripts.join(', '));
  assert.deepEqual([...files.keys()].filter((f) => f.endsWith('.map')), [], 'no source maps ship');
  for (const file of scripts) {
    assert.doesNotMatch(files.get(file)!.toString('utf8'), /\/\/# sourceMappingURL=\S+\s*$/, `${file} links to a map that is not shipped`);
  }
  for (const bundle of ['extension.js', 'server.js', 'analysisWorker.js', 'dap.js', 'panel/webview.js']) {
    const text = files.get(`extension/dist/${bundle}`)!.toString('utf8');
    // An unminified esbuild bundle opens each module with a comment naming its file (`// ../server/src/lsp/main.ts`).
    const moduleComment = /^\s*\/\/ \S+\.(?:[cm]?[jt]s|json)$/m.exec(text);
    assert.equal(moduleComment, null, `${bundle} is not minified: ${moduleComment?.[0]}`);
  }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*_]/g, '').replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
}

test('every link in the pages the VSIX ships leads to a file it ships or to a file of the repository', { timeout: 300_000 }, async () => {
  const { name, version, contributes, icon } = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8'));
  const files = packedFiles ?? (await readZip(join(client, 'dist-vsix', `${name}-${version}.vsix`)));
  const pages = [...files.keys()].filter((f) => f.endsWith('.md'));
  assert.ok(pages.includes('extension/readme.md') && pages.includes('extension/changelog.md'), pages.join(', '));
  assert.ok(pages.includes('extension/dist/docs/rules/lock-order.md') && pages.includes('extension/dist/docs/configuration.md'));
  const problems: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = files.get(page)!.toString('utf8');
    const targets = [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g), ...text.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    for (const target of targets) {
      checked++;
      const [path, fragment] = target.split('#') as [string, string | undefined];
      if (path === '') {
        if (!anchorsOf(text).has(fragment!)) problems.push(`${page}: #${fragment} is no heading of it`);
      } else if (!/^[a-z]+:/i.test(path)) {
        // Relative: a file inside the package.
        const inside = posix.normalize(posix.join(posix.dirname(page), path));
        const linked = files.get(inside);
        if (linked === undefined) problems.push(`${page}: ${target} is not in the VSIX`);
        else if (fragment !== undefined && !anchorsOf(linked.toString('utf8')).has(fragment)) problems.push(`${page}: ${target} has no such heading`);
      } else if (path === `${REPOSITORY}issues`) {
        // The issue tracker, which the manifest's bugs.url names too.
      } else if (path.startsWith(REPOSITORY)) {
        // vsce turns relative README links into links to the repository: each must name a file that exists there.
        const file = /^\/deadbolt-dev\/deadbolt\/(?:blob|raw|tree)\/(?:HEAD|main)\/(.+)$/.exec(new URL(path).pathname)?.[1];
        if (file === undefined || !existsSync(join(repo, decodeURIComponent(file)))) problems.push(`${page}: ${target} names no file of the repository`);
        else if (fragment !== undefined && file.endsWith('.md') && !anchorsOf(readFileSync(join(repo, file), 'utf8')).has(fragment)) problems.push(`${page}: ${target} has no such heading`);
      } else if (!path.startsWith('https://')) {
        problems.push(`${page}: ${target} is neither a page of the package, nor of the repository, nor https`);
      }
    }
  }
  assert.ok(checked > 50, `${checked} links checked`);
  assert.deepEqual(problems, []);
  // The manifest's own references: the icon, and the schema contributed for deadbolt.config.json.
  assert.ok(files.has(`extension/${icon}`), icon);
  for (const { url } of contributes.jsonValidation as { url: string }[]) assert.ok(files.has(posix.join('extension', url)), `${url} is in the VSIX`);
});
