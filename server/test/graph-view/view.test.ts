/**
 * The lock graph's view model, without a browser: cycles first and each on its own, the other orders after them
 * in connected groups, isolated locks counted and drawn only on request, and the scopes (one file and what it
 * reaches, one lock's neighbourhood, one cycle), the search and the focus of the "Show in Lock Graph" action.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceLocation, StaticLockGraph } from '../../src/protocol/index.js';
import { cycleAt } from '../../src/graph-view/focus.js';
import { staticModel } from '../../src/graph-view/static-model.js';
import { buildView, busiestLock, defaultViewOptions, type ViewOptions } from '../../src/graph-view/view.js';

const at = (file: string, line: number): SourceLocation => ({
  uri: `file:///app/src/${file}`,
  range: { start: { line, character: 2 }, end: { line, character: 20 } },
});
const lock = (id: string, file: string) => ({ id, name: id, kind: 'Mutex' as const, declaration: at(file, 1) });
const edge = (from: string, to: string, file: string, line: number) => ({
  from, to, chains: [{ thread: 'main', steps: [{ location: at(file, line - 1), message: `takes ${from}` }, { location: at(file, line), message: `takes ${to}` }] }],
});

// bank.ts: accounts <-> ledger (a cycle); audit.ts: ledger -> journal -> archive; shop.ts: orders <-> stock (a cycle)
// and cart -> orders; config, cache and metrics have no order at all.
const graph: StaticLockGraph = {
  nodes: [
    lock('accounts', 'bank.ts'), lock('ledger', 'bank.ts'), lock('journal', 'audit.ts'), lock('archive', 'audit.ts'),
    lock('orders', 'shop.ts'), lock('stock', 'shop.ts'), lock('cart', 'shop.ts'),
    lock('config', 'config.ts'), lock('cache', 'config.ts'), { id: 'metrics', name: 'Stats.metrics', kind: 'Mutex' },
  ],
  edges: [
    edge('accounts', 'ledger', 'bank.ts', 10), edge('ledger', 'accounts', 'bank.ts', 20),
    edge('ledger', 'journal', 'audit.ts', 5), edge('journal', 'archive', 'audit.ts', 8),
    edge('orders', 'stock', 'shop.ts', 4), edge('stock', 'orders', 'shop.ts', 9), edge('cart', 'orders', 'shop.ts', 14),
  ],
  cycles: [['accounts', 'ledger'], ['orders', 'stock']],
};
const model = staticModel(graph);
const view = (options: Partial<ViewOptions>) => buildView(model, { ...defaultViewOptions, ...options });
const ids = (nodes: { data: { id: string } }[]) => nodes.map((n) => n.data.id).sort();

test('the default view puts each cycle first in a section of its own, with only its own edges', () => {
  const v = view({});
  assert.deepEqual(v.sections.map((s) => s.kind), ['cycle', 'cycle', 'edges', 'edges']);
  assert.equal(v.sections[0]!.title, 'Cycle 1 of 2: accounts \u2192 ledger \u2192 accounts');
  assert.deepEqual(ids(v.sections[0]!.nodes), ['accounts', 'ledger']);
  assert.deepEqual(v.sections[0]!.edges.map((e) => `${e.data.source}->${e.data.target}`), ['accounts->ledger', 'ledger->accounts']);
  assert.deepEqual(ids(v.sections[1]!.nodes), ['orders', 'stock']);
});

test('the other edges follow in connected groups, largest first; a cycle lock is drawn again there', () => {
  const v = view({});
  const [first, second] = v.sections.filter((s) => s.kind === 'edges');
  assert.equal(first!.title, 'Other lock orders: 3 edges');
  assert.deepEqual(ids(first!.nodes), ['archive', 'journal', 'ledger']);
  assert.equal(second!.title, '', 'only the first group carries the heading');
  assert.deepEqual(ids(second!.nodes), ['cart', 'orders']);
});

test('isolated locks are counted, not drawn, until asked for', () => {
  const collapsed = view({});
  assert.equal(collapsed.isolated, 3);
  assert.ok(collapsed.sections.every((s) => s.kind !== 'isolated'));
  assert.deepEqual([collapsed.nodes, collapsed.edges, collapsed.cycles], [10, 7, 2]);
  const expanded = view({ showIsolated: true });
  const isolated = expanded.sections.at(-1)!;
  assert.equal(isolated.kind, 'isolated');
  assert.deepEqual(ids(isolated.nodes), ['cache', 'config', 'metrics']);
  assert.equal(isolated.title, '3 locks with no order to another lock');
});

test('the file view shows the file\'s locks and what they reach, and no more', () => {
  const audit = view({ scope: { kind: 'file', uri: at('audit.ts', 0).uri } });
  // ledger -> journal is taken in audit.ts, so ledger is in, and accounts with it (ledger -> accounts); nothing of shop.ts is.
  assert.deepEqual([...new Set(ids(audit.sections.flatMap((s) => s.nodes)))], ['accounts', 'archive', 'journal', 'ledger']);
  assert.equal(audit.cycles, 1);
  const archiveOnly = buildView(staticModel({ ...graph, nodes: [...graph.nodes, lock('vault', 'vault.ts')], edges: [...graph.edges, edge('vault', 'archive', 'vault.ts', 3)] }),
    { ...defaultViewOptions, scope: { kind: 'file', uri: at('vault.ts', 0).uri } });
  assert.deepEqual(ids(archiveOnly.sections.flatMap((s) => s.nodes)), ['archive', 'vault'], 'what a file reaches, not what reaches it');
  const bank = view({ scope: { kind: 'file', uri: at('bank.ts', 0).uri } });
  assert.equal(bank.cycles, 1);
  assert.deepEqual([...new Set(ids(bank.sections.flatMap((s) => s.nodes)))], ['accounts', 'archive', 'journal', 'ledger']);
  const config = view({ scope: { kind: 'file', uri: at('config.ts', 0).uri }, showIsolated: true });
  assert.deepEqual(ids(config.sections.flatMap((s) => s.nodes)), ['cache', 'config']);
});

test('a lock\'s neighbourhood is the lock and the locks one order away in either direction', () => {
  const v = view({ scope: { kind: 'lock', id: 'journal' } });
  assert.deepEqual(ids(v.sections.flatMap((s) => s.nodes)), ['archive', 'journal', 'ledger']);
  assert.equal(v.cycles, 0, 'accounts is two steps away, so the bank cycle is not in view');
});

test('a search keeps the matches with their direct neighbours and reports them', () => {
  const v = view({ search: 'STOCK' });
  assert.deepEqual(v.matches, ['stock']);
  assert.deepEqual([...new Set(ids(v.sections.flatMap((s) => s.nodes)))], ['orders', 'stock']);
  assert.equal(v.cycles, 1);
  assert.deepEqual(view({ search: 'audit.ts' }).matches.sort(), ['archive', 'journal'], 'a file name matches its locks');
  assert.deepEqual(view({ search: 'stats' }).matches, ['metrics'], 'so does the owning class');
  assert.equal(view({ search: 'nothing-like-this' }).sections.length, 0);
});

test('focusing a cycle puts it first, with its neighbours', () => {
  const v = view({ scope: { kind: 'cycle', nodes: ['orders', 'stock'] } });
  assert.equal(v.sections[0]!.title, 'Cycle 1 of 1: orders \u2192 stock \u2192 orders');
  assert.deepEqual([...new Set(ids(v.sections.flatMap((s) => s.nodes)))], ['cart', 'orders', 'stock']);
});

test('cycleAt finds the cycle whose chains pass through a diagnostic\'s line, and nothing elsewhere', () => {
  assert.deepEqual(cycleAt(graph, at('shop.ts', 9)), ['orders', 'stock']);
  assert.deepEqual(cycleAt(graph, at('bank.ts', 10)), ['accounts', 'ledger']);
  assert.equal(cycleAt(graph, at('shop.ts', 14)), undefined, 'cart -> orders is on no cycle');
  assert.equal(cycleAt(graph, at('other.ts', 9)), undefined);
});

test('grouping keys: a lock knows its file and the class that owns it', () => {
  const metrics = model.elements.find((e) => e.data.id === 'metrics')!;
  assert.equal(metrics.group === 'nodes' && metrics.data.owner, 'Stats');
  const ledger = model.elements.find((e) => e.data.id === 'ledger')!;
  assert.deepEqual(ledger.group === 'nodes' && ledger.data.files, [at('bank.ts', 0).uri]);
});

test('the neighbourhood view starts on the lock with the most orders, never on an isolated one', () => {
  // Alphabetically the list starts with `accounts`, `archive` and `cache`; `cache` has no order at all.
  assert.equal(busiestLock(model), 'ledger');
  const v = view({ scope: { kind: 'lock', id: busiestLock(model)! } });
  assert.deepEqual(ids(v.sections.flatMap((s) => s.nodes)).filter((id, i, all) => all.indexOf(id) === i), ['accounts', 'journal', 'ledger']);
  assert.equal(busiestLock(staticModel({ nodes: [lock('config', 'config.ts')], edges: [], cycles: [] })), undefined);
});
