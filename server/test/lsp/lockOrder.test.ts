/**
 * The workspace-wide side of the server, on a lock-order cycle whose halves live in two files: the half that closes
 * the cycle gets the finding, with related information reaching both files, and loses it when fixed; hover and
 * `deadbolt/lockGraph` describe the same graph.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyWorkspaceEdit, LSP_FIXTURES, LspClient, positionOf } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'workspace');
const SRC = join(WORKSPACE, 'src');
const A = join(SRC, 'transfer-a.ts');
const B = join(SRC, 'transfer-b.ts');
const LOCKS = join(SRC, 'locks.ts');

const hasCycle = (d: Diagnostic[]) => d.some((x) => x.code === 'lock-order');
const noCycle = (d: Diagnostic[]) => !hasCycle(d);

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [WORKSPACE] });
});
after(async () => {
  await client.stop();
});

test('a cycle across two files is reported once, where it closes, with related information for the chains in each file', async () => {
  const a = await client.open(A);
  const b = await client.open(B);
  const inB = (await client.diagnostics(b, hasCycle)).filter((d) => d.code === 'lock-order');
  // transfer-a.ts takes the locks in declaration order (accounts, then audit): it only opens the cycle.
  const inA = (await client.diagnostics(a)).filter((d) => d.code === 'lock-order');
  assert.deepEqual(inA, []);
  for (const diagnostic of inB) {
    assert.equal(diagnostic.source, 'deadbolt');
    assert.match(diagnostic.message as string, /accountsLock|accounts/);
    assert.match(diagnostic.message as string, /auditLock|audit/);
    const relatedFiles = new Set(diagnostic.relatedInformation?.map((r) => r.location.uri));
    assert.ok(relatedFiles.has(a) && relatedFiles.has(b), `related information should reach both files: ${[...relatedFiles].join(', ')}`);
  }
  // The closing half is flagged where its inner acquisition happens.
  assert.deepEqual(inB.map((d) => d.range.start.line), [6]);
});

test('fixing the closing half clears the finding, and breaking it again brings it back', async () => {
  await client.open(A);
  const b = await client.open(B);
  await client.diagnostics(b, hasCycle);
  const original = client.text(b);
  // Same order as transfer-a.ts: accounts, then audit.
  const consistent = original
    .replace('  auditLock.lock();\n  try {\n    accountsLock.lock();', '  accountsLock.lock();\n  try {\n    auditLock.lock();')
    .replace('      accountsLock.unlock();\n    }\n  } finally {\n    auditLock.unlock();', '      auditLock.unlock();\n    }\n  } finally {\n    accountsLock.unlock();');
  assert.notEqual(consistent, original);
  await client.change(b, consistent);
  await client.diagnostics(b, noCycle);

  await client.change(b, original);
  await client.diagnostics(b, hasCycle);
});

test('deadbolt/lockGraph returns both locks, both edges with chains, and the cycle; narrowed by uris', async () => {
  const graph = await client.lockGraph();
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const accounts = graph.nodes.find((n) => /accounts/.test(n.name));
  const audit = graph.nodes.find((n) => /audit/.test(n.name));
  assert.ok(accounts && audit, `nodes: ${[...names.values()].join(', ')}`);
  assert.equal(accounts.kind, 'Mutex');
  assert.equal(accounts.declaration?.uri, pathToFileURL(LOCKS).href);
  const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
  assert.ok(edge(accounts.id, audit.id)?.chains.length, 'accounts -> audit has a chain');
  assert.ok(edge(audit.id, accounts.id)?.chains.length, 'audit -> accounts has a chain');
  assert.deepEqual(graph.cycles.map((c) => [...c].sort()), [[accounts.id, audit.id].sort()]);

  // Narrowed to one half, the cycle through it still comes whole; narrowed to a file without locks, nothing does.
  const onlyA = await client.lockGraph({ uris: [pathToFileURL(A).href] });
  assert.equal(onlyA.edges.length, 2);
  assert.equal(onlyA.cycles.length, 1);
  assert.deepEqual(onlyA.nodes.map((n) => n.name).sort(), [accounts.name, audit.name].sort());
  const counter = await client.lockGraph({ uris: [pathToFileURL(join(SRC, 'counter.ts')).href] });
  assert.deepEqual(counter, { nodes: [], edges: [], cycles: [] });
  const folder = await client.lockGraph({ uris: [pathToFileURL(SRC).href] });
  assert.equal(folder.nodes.length, graph.nodes.length);
});

test('hover on a lock names it and the locks taken while it is held', async () => {
  const locks = await client.open(LOCKS);
  const onDeclaration = await client.hover(locks, positionOf(client.text(locks), 'accountsLock', 2));
  const text = (onDeclaration?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(text, /^\*\*accounts\*\* \(Mutex\)/);
  assert.match(text, /Taken at \[transfer-a\.ts:5\]/);
  assert.match(text, /Taken while it is held:\n- `audit` at \[transfer-a\.ts:7\]/);
  assert.match(text, /Potential deadlock/);

  const b = await client.open(B);
  const onUse = await client.hover(b, positionOf(client.text(b), 'auditLock.lock()', 1));
  const useText = (onUse?.contents as { value: string } | undefined)?.value ?? '';
  assert.match(useText, /^\*\*audit\*\*/);
  assert.match(useText, /- `accounts` at \[transfer-b\.ts:7\]/);

  // A use the graph has no position for (an unlock) still finds its lock through the declared identifier.
  const onUnlock = await client.hover(b, positionOf(client.text(b), 'accountsLock.unlock()', 3));
  assert.match((onUnlock?.contents as { value: string } | undefined)?.value ?? '', /^\*\*accounts\*\*/);

  assert.equal(await client.hover(b, { line: 0, character: 0 }), null);
});

test('with two workspace folders, each is its own root, deadbolt/lockGraph merges both, and removing one clears it', async () => {
  const single = join(LSP_FIXTURES, 'single-file');
  const both = await LspClient.start({ folders: [WORKSPACE, single] });
  try {
    const deadlock = await both.open(join(single, 'deadlock.ts'));
    const cycles = (await both.diagnostics(deadlock, hasCycle)).filter((d) => d.code === 'lock-order');
    assert.deepEqual(cycles.map((d) => d.range.start.line), [16]);
    const graph = await both.lockGraph();
    assert.deepEqual(graph.nodes.map((n) => n.name).sort(), ['accounts', 'audit', 'ledger', 'wallet']);
    assert.equal(graph.cycles.length, 2);
    const onlySingle = await both.lockGraph({ uris: [pathToFileURL(single).href] });
    assert.deepEqual(onlySingle.nodes.map((n) => n.name).sort(), ['ledger', 'wallet']);

    // Removing a folder clears what was published for its (closed) files; its graph leaves the merged one.
    const transferB = pathToFileURL(B).href;
    await both.diagnostics(transferB, hasCycle);
    await both.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: pathToFileURL(WORKSPACE).href, name: WORKSPACE }] },
    });
    await both.diagnostics(transferB, (d) => d.length === 0);
    const remaining = await both.lockGraph();
    assert.deepEqual(remaining.nodes.map((n) => n.name).sort(), ['ledger', 'wallet']);
  } finally {
    await both.stop();
  }
});

test('the reorder fix is a preferred quickfix on the inconsistent half, and applying it clears both files', async () => {
  const fixer = await LspClient.start({ folders: [WORKSPACE] });
  try {
    const a = await fixer.open(A);
    const b = await fixer.open(B);
    const [cycle] = (await fixer.diagnostics(b, hasCycle)).filter((d) => d.code === 'lock-order');
    const actions = await fixer.codeActions(b, cycle!.range, [cycle!]);
    const reorder = actions.find((action) => action.isPreferred === true);
    assert.ok(reorder, `no preferred fix among ${JSON.stringify(actions.map((x) => x.title))}`);
    assert.equal(reorder.kind, 'quickfix');
    assert.match(reorder.title, /accounts.*before.*audit/);
    const fixed = applyWorkspaceEdit(reorder.edit, b, fixer.text(b));
    // Both acquisitions and both releases swap, so the function takes accounts then audit like transfer-a.ts.
    assert.match(fixed, /accountsLock\.lock\(\);\n {2}try \{\n {4}auditLock\.lock\(\);/);
    assert.match(fixed, /auditLock\.unlock\(\);\n {4}\}\n {2}\} finally \{\n {4}accountsLock\.unlock\(\);/);

    // The same fix comes from source.fixAll.deadbolt.
    const all = await fixer.codeActions(b, cycle!.range, [], ['source.fixAll.deadbolt']);
    assert.equal(applyWorkspaceEdit(all[0]?.edit, b, fixer.text(b)), fixed);

    await fixer.change(b, fixed);
    assert.ok(noCycle(await fixer.diagnostics(b)));
    await fixer.diagnostics(a, noCycle);
  } finally {
    await fixer.stop();
  }
});
