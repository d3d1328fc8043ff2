/**
 * The language server and the CLI show the same lock-order finding for the PGlite-shaped client (issue 21): two
 * async-mutex mutexes taken through wrapper methods that run callbacks, and both chains of the cycle, through the
 * wrappers and the object literal handed to the transaction's callback, in the related information.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';
import { deadbolt } from '../cli/spawn.js';
import { LspClient } from './lspClient.js';

const FOLDER = join(FIXTURES_ROOT, 'lock-order', 'wrapped-mutexes');

/** One related location as both sides can spell it: file name, 1-based line, message. */
const place = (file: string, line: number, message: string): string => `${file.split('/').at(-1)}:${line} ${message}`;

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [FOLDER] });
});
after(async () => {
  await client.stop();
});

test('the LSP publishes the lock-order finding of the CLI for two wrapped mutexes, with both chains in its related information', async () => {
  const run = deadbolt(['check', '.', '--format', 'json'], FOLDER);
  assert.equal(run.status, 1, run.stderr);
  const cli = (JSON.parse(run.stdout) as { diagnostics: { file: string; line: number; column: number; rule: string; message: string; related: { file: string; line: number; message: string }[] }[] }).diagnostics
    .filter((d) => d.rule === 'lock-order');
  assert.equal(cli.length, 1, 'the CLI reports the cycle once');
  const expected = cli[0]!;

  const uri = await client.open(join(FOLDER, expected.file));
  const published = (await client.diagnostics(uri, (d) => d.some((x) => x.code === 'lock-order'))).filter((d) => d.code === 'lock-order');
  assert.equal(published.length, 1);
  const diagnostic = published[0]!;
  assert.equal(diagnostic.range.start.line + 1, expected.line);
  assert.equal(diagnostic.range.start.character + 1, expected.column);
  assert.equal(diagnostic.message, expected.message);
  const related = (diagnostic.relatedInformation ?? []).map((r) => place(fileURLToPath(r.location.uri), r.location.range.start.line + 1, r.message));
  assert.deepEqual(related, expected.related.map((r) => place(r.file, r.line, r.message)));

  // Both chains: the listen mutex, then exec() under it reaching the transaction mutex through its wrapper; and the
  // transaction mutex, then the callback's `tx.listen()` reaching the listen mutex through the other wrapper.
  const messages = related.join('\n');
  assert.match(messages, /takes `Client.#transactionMutex` while holding `Client.#listenMutex`/);
  assert.match(messages, /takes `Client.#listenMutex` while holding `Client.#transactionMutex`/);
  assert.match(messages, /calls `callback` while holding `Client.#transactionMutex`/);
});
