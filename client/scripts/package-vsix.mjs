// Packs the extension into dist-vsix/deadbolt-vscode-<version>.vsix: rebuilds the bundles for production (minified,
// no source maps; build.mjs --production), then runs @vscode/vsce. vsce is pinned to 3.9, the last line that runs on
// Node 20 (4.x needs Node 22), so this works on the Node the README asks for. The VSIX is one package for every
// platform: it ships no native binary (the adapter compiles TypeScript with esbuild-wasm), so it declares no target.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version, name, repository } = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8'));
// vsce turns the README's relative links into links to the repository, but ignores `repository.directory`: without
// these bases `images/x.png` would point at the repository's root instead of client/.
const project = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const bases = [
  '--baseContentUrl', `${project}/blob/HEAD/${repository.directory}`,
  '--baseImagesUrl', `${project}/raw/HEAD/${repository.directory}`,
];
const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: client, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([join(client, 'build.mjs'), '--production']);
mkdirSync(join(client, 'dist-vsix'), { recursive: true });
const out = join(client, 'dist-vsix', `${name}-${version}.vsix`);
// --no-dependencies: everything the extension runs is bundled, so vsce must not walk (workspace) node_modules.
run([vsce, 'package', '--no-dependencies', ...bases, '--out', out]);
console.log(out);
