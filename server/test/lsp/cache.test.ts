/**
 * The language server opening a folder that `deadbolt check --cache` checked: its first diagnostics come from the
 * cache (nothing changed since), equal to what an analysis finds, and edits after that are analysed as usual.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run } from '../../src/cli/run.js';
import { LspClient } from './lspClient.js';

const folder = mkdtempSync(join(tmpdir(), 'deadbolt-lsp-cache-'));
let client: LspClient | undefined;
after(async () => {
  await client?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const RACY = 'const view = new Int32Array(new SharedArrayBuffer(4));\nexport function bump(): void {\n  view[0] += 1;\n}\n';

test('a folder checked with --cache gets its first diagnostics from the cache, and edits are analysed', async () => {
  writeFileSync(join(folder, 'counter.ts'), RACY);
  const io = { cwd: folder, env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
  assert.equal(await run(['check', '--cache'], io), 1);
  client = await LspClient.start({ folders: [folder] });
  const uri = await client.open(join(folder, 'counter.ts'));
  const first = await client.diagnostics(uri);
  assert.deepEqual(first.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 2]]);
  await client.logged(/^analysed .*: 1 files, 1 findings, read from .*\.deadboltcache in /);
  await client.change(uri, RACY.replace('view[0] += 1;', 'Atomics.add(view, 0, 1);'));
  assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
  await client.logged(/^analysed .*: 1 files, 0 findings, \d+ of \d+ walks run/);
});
