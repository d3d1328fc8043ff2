/**
 * One lock, one name (issue 26), over the protocol on test-fixtures/lsp/worker-names: the locks a worker rebuilds
 * from `workerData` under other variable names, and a class's lock reached through an instance variable, are named
 * the same in diagnostics, quick-fix titles, hovers and `deadbolt/lockGraph` (the `name` option, else the
 * declaration), their graph nodes lead to where they are created, and a hover's "Taken at" lists acquisitions, never
 * the calls that lead to them. Also: the server says it is analysing before the first findings and idle after them,
 * and the configuration arriving at start makes no analysis fail.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyWorkspaceEdit, LSP_FIXTURES, LspClient, positionOf } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'worker-names');
const MAIN = join(WORKSPACE, 'src', 'main.ts');
const WORKER = join(WORKSPACE, 'src', 'transfer-worker.ts');
/** Paths by which code reaches the locks, which must never be what a lock is called. */
const ACCESS_PATHS = /(workerData|data)\.(accounts|ledger)|accountsLock|ledgerLock|s37\.|BankShared\.(accounts|ledger)/;

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [WORKSPACE] });
});
after(async () => {
  await client.stop();
});

const hoverText = async (uri: string, needle: string, delta: number) =>
  ((await client.hover(uri, positionOf(client.text(uri), needle, delta)))?.contents as { value: string } | undefined)?.value ?? '';

test('diagnostics and quick-fix titles call each lock by its name, never by a path to it', async () => {
  const main = await client.open(MAIN);
  const worker = await client.open(WORKER);
  const [cycle] = (await client.diagnostics(main, (d) => d.some((x) => x.code === 'lock-order'))).filter((d) => d.code === 'lock-order');
  assert.match(String(cycle!.message), /`accounts` is taken while holding `ledger`/);
  const unguarded = (await client.diagnostics(worker, (d) => d.some((x) => x.code === 'unguarded-write'))).filter((d) => d.code === 'unguarded-write');
  assert.deepEqual(unguarded.map((d) => d.range.start.line), [28, 29]);
  const texts: string[] = [String(cycle!.message), ...(cycle!.relatedInformation ?? []).map((r) => r.message)];
  for (const d of unguarded) {
    assert.match(String(d.message), /without holding `accounts`/);
    texts.push(String(d.message));
  }
  const titles: string[] = [];
  for (const [uri, d] of [[main, cycle!], ...unguarded.map((u) => [worker, u] as [string, Diagnostic])] as [string, Diagnostic][]) {
    titles.push(...(await client.codeActions(uri, d.range, [d])).map((a) => a.title));
  }
  for (const text of [...texts, ...titles]) assert.doesNotMatch(text, ACCESS_PATHS, text);

  // The reset's two writes are one update: the fix takes the lock once around both.
  const actions = await client.codeActions(worker, unguarded[0]!.range, [unguarded[0]!]);
  const fix = actions.find((a) => a.title === 'Take `accounts` around these 2 writes, as one update');
  assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
  const fixed = applyWorkspaceEdit(fix.edit, worker, client.text(worker));
  assert.match(fixed, /export function reset\(\): void \{\n {2}accountsLock\.withLock\(\(\) => \{\n {4}data\.balances\[0\] = 0;\n {4}data\.balances\[1\] = 0;\n {2}\}\);\n\}/, fixed);
});

test('the graph names the locks as the diagnostics do, and each node leads to where its lock is created', async () => {
  const graph = await client.lockGraph();
  const names = graph.nodes.map((n) => n.name);
  for (const name of ['Audit.tallyLock', 'accounts', 'ledger']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  for (const name of names) assert.doesNotMatch(name, ACCESS_PATHS, name);
  const created = (name: string) => graph.nodes.find((n) => n.name === name)!.declaration;
  assert.equal(created('accounts')?.uri, pathToFileURL(MAIN).href);
  assert.equal(created('accounts')?.range.start.line, 7);
  assert.equal(created('ledger')?.range.start.line, 8);
  assert.equal(created('Audit.tallyLock')?.uri, pathToFileURL(join(WORKSPACE, 'src', 'audit.ts')).href);
  assert.equal(graph.cycles.length, 1, 'the worker\'s locks are main\'s locks: the cycle closes across threads');
});

test('a hover names the lock as everywhere else, and "Taken at" lists its acquisitions, not the calls leading there', async () => {
  const worker = await client.open(WORKER);
  const onUse = await hoverText(worker, 'accountsLock.lock()', 1);
  assert.match(onUse, /^\*\*accounts\*\* \(Mutex\)/);
  assert.match(onUse, /Declared at \[main\.ts:8\]/);
  const taken = /Taken at (.*)/.exec(onUse)?.[1] ?? '';
  // transfer-worker.ts:16 (using _held = accountsLock.lock()) and main.ts:18; not transfer-worker.ts:33 (`transfer(0, 1, 5)`).
  assert.match(taken, /\[transfer-worker\.ts:16\]/);
  assert.match(taken, /\[main\.ts:18\]/);
  assert.doesNotMatch(taken, /transfer-worker\.ts:33|main\.ts:22/);
  const main = await client.open(MAIN);
  const ledger = /Taken at (.*)/.exec(await hoverText(main, 'ledger.lock()', 1))?.[1] ?? '';
  assert.match(ledger, /\[main\.ts:17\]/);
  assert.match(ledger, /\[transfer-worker\.ts:11\]/);
  assert.doesNotMatch(ledger, /main\.ts:22|transfer-worker\.ts:(19|33)/);
});

test('the server says it is analysing before the first findings and idle after them; the configuration at start fails nothing', async () => {
  const fresh = await LspClient.start({ folders: [WORKSPACE] });
  try {
    const main = await fresh.open(MAIN);
    // What VS Code sends right after opening: the configuration, which rebuilds the roots while the first run waits.
    await fresh.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await fresh.diagnostics(main, (d) => d.some((x) => x.code === 'lock-order'));
    const published = fresh.events.findIndex((e) => e === `publish ${main}`);
    await fresh.happened(/^idle$/, published);
    const events = fresh.events;
    assert.equal(events[0], 'analyzing', `events: ${events.join(', ')}`);
    assert.ok(events.indexOf('analyzing') < published, `analyzing comes first: ${events.join(', ')}`);
    const lastPublish = events.map((e, i) => (e.startsWith('publish') ? i : -1)).reduce((a, b) => Math.max(a, b));
    assert.equal(events.at(-1), 'idle', `idle comes last: ${events.join(', ')}`);
    assert.ok(lastPublish < events.length - 1);
    assert.deepEqual(fresh.logs.filter((l) => /failed|no workspace is open/.test(l)), []);
  } finally {
    await fresh.stop();
  }
});
