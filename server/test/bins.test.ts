/**
 * The three bins answer --help and --version at once, with stdin held open as an editor or a terminal would leave
 * it: the language server and the adapter must not sit waiting for a client. Unknown adapter arguments exit 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closed } from './helpers/deadline.js';

const SERVER = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(readFileSync(`${SERVER}package.json`, 'utf8')) as { version: string };

/** Runs a bin with stdin open and never written to; resolves with its exit code and output, or fails if it waits on. */
async function run(bin: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`${SERVER}bin/${bin}.js`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const { code } = await closed(child, `${bin} ${args.join(' ')} with stdin open`);
  return { code, stdout, stderr };
}

for (const bin of ['deadbolt', 'deadbolt-lsp', 'deadbolt-dap']) {
  test(`${bin} --version prints the package version and exits`, async () => {
    const r = await run(bin, '--version');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });

  test(`${bin} --help prints its usage and exits`, async () => {
    const r = await run(bin, '--help');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`usage:\\s+${bin} `, 'i'));
  });
}

test('deadbolt-dap with an argument it does not know exits 2 naming it', async () => {
  const r = await run('deadbolt-dap', '--stdio-typo');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown argument '--stdio-typo'/);
});
