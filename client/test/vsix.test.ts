// The VSIX as `npm run package` makes it, on the Node running the tests (Node 20 included): one package for every
// platform (no target declared, no native executable inside), production bundles (minified, no source maps and no
// links to maps that are not there), and the esbuild-wasm files the bundled adapter compiles TypeScript with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yauzl from 'yauzl';

const client = join(__dirname, '..', '..');

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

test('npm run package makes one universal VSIX of production bundles, with esbuild as WebAssembly', { timeout: 300_000 }, async () => {
  // Bounded below the test's own timeout so a hung packaging fails here, saying so.
  const packed = spawnSync(process.execPath, [join(client, 'scripts', 'package-vsix.mjs')], { cwd: client, encoding: 'utf8', timeout: 240_000 });
  assert.equal(packed.status, 0, `${packed.error?.message ?? ''}\n${packed.stdout}\n${packed.stderr}`);
  const { name, version } = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8')) as { name: string; version: string };
  const files = await readZip(join(client, 'dist-vsix', `${name}-${version}.vsix`));

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
