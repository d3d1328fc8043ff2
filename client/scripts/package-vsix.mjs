// Packs the bundled extension into dist-vsix/deadbolt-vscode-<version>.vsix with @vscode/vsce. vsce needs
// Node >= 22; on an older Node this re-runs it with the Node 24 that client/e2e installs (e2e/install.sh).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version, name } = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

const major = Number(process.versions.node.split('.')[0]);
const e2eNode = join(client, 'e2e', 'node_modules', 'node', 'bin', 'node');
const nodeBinary = major >= 22 ? process.execPath : e2eNode;
if (!existsSync(nodeBinary)) {
  console.error(`vsce needs Node >= 22 and this is ${process.version}: run client/e2e/install.sh (it installs Node 24) or use a newer Node.`);
  process.exit(2);
}
for (const bundle of ['extension.js', 'server.js', 'analysisWorker.js', 'dap.js', 'panel/webview.js']) {
  if (!existsSync(join(client, 'dist', bundle))) {
    console.error(`dist/${bundle} is missing: run \`npm run bundle -w client\` (or the root \`npm run build\`) first.`);
    process.exit(2);
  }
}

mkdirSync(join(client, 'dist-vsix'), { recursive: true });
const out = join(client, 'dist-vsix', `${name}-${version}.vsix`);
// --no-dependencies: everything the extension runs is bundled, so vsce must not walk (workspace) node_modules.
const result = spawnSync(nodeBinary, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], {
  cwd: client,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(out);
