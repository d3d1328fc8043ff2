/**
 * The lock APIs beyond the runtime, through the language server as an editor sees them: a Web Locks cycle across
 * two tabs' files, async-mutex and Web Locks re-entry, and an in-house lock class described in the workspace
 * folder's deadbolt.config.json. Expected lines come from the fixtures' `// expect:` comments.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { FIXTURES_ROOT, expectedLines } from '../helpers/fixtures.js';
import type { RuleId } from '../../src/engine/index.js';
import { LspClient } from './lspClient.js';

const WEB_LOCKS = join(FIXTURES_ROOT, 'lock-order', 'web-locks-tabs');
const DOUBLE_LOCK = join(FIXTURES_ROOT, 'double-lock');
const LOCK_MODELS = join(FIXTURES_ROOT, 'lock-models');

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [WEB_LOCKS, DOUBLE_LOCK, LOCK_MODELS], initializationOptions: { lockGraphCommand: 'deadbolt.showLockGraph' } });
});
after(async () => {
  await client.stop();
});

/** The 0-based lines of a file's diagnostics of one rule, once its publish has them all. */
async function linesOf(file: string, rule: RuleId): Promise<{ uri: string; lines: number[]; expected: number[] }> {
  const expected = expectedLines(readFileSync(file, 'utf8'), rule).map((line) => line - 1);
  assert.ok(expected.length > 0, `${file} expects ${rule}`);
  const uri = await client.open(file);
  const diagnostics = await client.diagnostics(uri, (d) => d.filter((x) => x.code === rule).length >= expected.length);
  return { uri, lines: diagnostics.filter((d) => d.code === rule).map((d) => d.range.start.line), expected };
}

test('a Web Locks lock-order cycle between two tabs is a diagnostic with Show in Lock Graph, and the graph has its names', async () => {
  const { uri, lines, expected } = await linesOf(join(WEB_LOCKS, 'sync-tab.ts'), 'lock-order');
  assert.deepEqual(lines, expected);
  const [diagnostic] = (await client.diagnostics(uri)).filter((d) => d.code === 'lock-order');
  const actions = await client.codeActions(uri, diagnostic!.range, [diagnostic!]);
  assert.ok(actions.some((a) => a.title === 'Show in Lock Graph'), JSON.stringify(actions.map((a) => a.title)));
  const graph = await client.lockGraph({ uris: [pathToFileURL(WEB_LOCKS).href] });
  assert.ok(graph.cycles.length > 0, 'the folder graph has the cycle');
  const named = graph.cycles[0]!.map((id) => graph.nodes.find((n) => n.id === id)!.name);
  for (const name of named) assert.ok((diagnostic!.message as string).includes(name), `${name} is named by: ${diagnostic!.message}`);
});

test('async-mutex runExclusive re-entered through calls and a nested same-name Web Locks request are double-lock diagnostics', async () => {
  for (const file of ['async-mutex-reentry.ts', 'web-locks-nested.ts']) {
    const { lines, expected } = await linesOf(join(DOUBLE_LOCK, file), 'double-lock');
    assert.deepEqual(lines, expected, file);
  }
});

test('an in-house lock class from the folder\'s lockModels is a lock to the server', async () => {
  const { lines, expected } = await linesOf(join(LOCK_MODELS, 'order.ts'), 'lock-order');
  assert.deepEqual(lines, expected);
  const coroutines = await linesOf(join(LOCK_MODELS, 'coroutines.ts'), 'await-holding-lock');
  assert.deepEqual(coroutines.lines, coroutines.expected);
});
