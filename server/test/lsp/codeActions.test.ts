/**
 * Code actions over the real protocol: each engine fix as a quickfix (preferred when the fix is), the suppression
 * comment with a reason placeholder, and source.fixAll.deadbolt; every action is applied and the text checked.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyze } from '../../src/engine/index.js';
import { applyWorkspaceEdit, LSP_FIXTURES, LspClient } from './lspClient.js';

const SRC = join(LSP_FIXTURES, 'workspace', 'src');

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [join(LSP_FIXTURES, 'workspace')] });
});
after(async () => {
  await client.stop();
});

test('the Atomics fix is offered as a preferred quickfix and rewrites the update', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  const [first] = await client.diagnostics(uri, (d) => d.length === 2);
  const actions = await client.codeActions(uri, first!.range, [first!]);
  const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred === true);
  assert.ok(fix, `no preferred quickfix among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['non-atomic-update']);
  const fixed = applyWorkspaceEdit(fix.edit, uri, client.text(uri));
  assert.match(fixed, /^ {2}Atomics\.add\(counts, slot, 1\);$/m);
  assert.doesNotMatch(fixed, /counts\[slot\] \+= 1/);

  // The fixed text, sent back, has one finding fewer.
  await client.change(uri, fixed);
  const remaining = await client.diagnostics(uri);
  assert.deepEqual(remaining.map((d) => d.range.start.line), [8]);
  await client.close(uri);
});

test('suppression inserts a directive with a reason placeholder, which silences the finding', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  const diagnostics = await client.diagnostics(uri, (d) => d.length === 2);
  const second = diagnostics[1]!;
  const actions = await client.codeActions(uri, second.range, [second]);
  const suppress = actions.find((a) => a.title.startsWith('Suppress non-atomic-update'));
  assert.ok(suppress, `no suppression among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(suppress.isPreferred, false);
  const suppressed = applyWorkspaceEdit(suppress.edit, uri, client.text(uri));
  assert.match(suppressed, /\n {2}\/\/ deadbolt-disable-next-line non-atomic-update -- reason\n {2}counts\[3\]\+\+;/);

  await client.change(uri, suppressed);
  const after = await client.diagnostics(uri);
  assert.deepEqual(after.map((d) => d.range.start.line), [4]);
  await client.close(uri);
});

test('source.fixAll.deadbolt applies every preferred fix of the document in one edit', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  await client.diagnostics(uri, (d) => d.length === 2);
  const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const actions = await client.codeActions(uri, whole, [], ['source.fixAll.deadbolt']);
  assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.deadbolt']);
  const fixed = applyWorkspaceEdit(actions[0]!.edit, uri, client.text(uri));
  assert.match(fixed, /Atomics\.add\(counts, slot, 1\);/);
  assert.match(fixed, /Atomics\.add\(counts, 3, 1\);/);

  await client.change(uri, fixed);
  assert.deepEqual(await client.diagnostics(uri), []);
  // With nothing left to fix, no fix-all is offered.
  assert.deepEqual(await client.codeActions(uri, whole, [], ['source.fixAll']), []);
  await client.close(uri);
});

test('a quickfix request away from any finding offers nothing, and a source request offers no quickfix', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  const [first] = await client.diagnostics(uri, (d) => d.length === 2);
  const line0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
  assert.deepEqual(await client.codeActions(uri, line0), []);
  const sourceOnly = await client.codeActions(uri, first!.range, [first!], ['source']);
  assert.ok(sourceOnly.every((a) => a.kind === 'source.fixAll.deadbolt'));
  await client.close(uri);
});

test('a fix that would add a type error under the workspace\'s own options is not offered (the worker\'s gate)', async () => {
  const folder = join(LSP_FIXTURES, 'strict-unused');
  // The engine proposes the RecursiveMutex rewrite; with noUnusedLocals it would leave `Mutex` unused.
  const proposed = analyze({ cwd: folder, tsconfig: 'tsconfig.json', config: {}, fixes: 'unchecked' }).findings;
  assert.deepEqual(proposed.flatMap((f) => f.fixes.map((x) => x.title.split(' (')[0])), ['Make `registry` a RecursiveMutex']);
  const strict = await LspClient.start({ folders: [folder] });
  try {
    const uri = await strict.open(join(folder, 'registry.ts'));
    const [finding] = await strict.diagnostics(uri, (d) => d.length === 1);
    const actions = await strict.codeActions(uri, finding!.range, [finding!]);
    assert.deepEqual(actions.map((a) => a.title), ['Suppress double-lock on this line']);
  } finally {
    await strict.stop();
  }
});
