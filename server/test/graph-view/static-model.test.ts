// Unit tests of the static graph view model: nodes, labelled order edges, cycle marking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceLocation, StaticLockGraph } from '../../src/protocol/index.js';
import type { GraphEdge, GraphNode } from '../../src/graph-view/elements.js';
import { acquisitionSite, staticModel } from '../../src/graph-view/static-model.js';

const at = (file: string, line: number): SourceLocation => ({
  uri: `file:///work/app/src/${file}`,
  range: { start: { line, character: 2 }, end: { line, character: 12 } },
});

// accounts -> ledger in transfer(), ledger -> accounts in audit(): the classic two-lock cycle, plus an acyclic third lock.
const graph: StaticLockGraph = {
  nodes: [
    { id: 'accounts', name: 'accounts', kind: 'Mutex', declaration: at('bank.ts', 3) },
    { id: 'ledger', name: 'ledger', kind: 'Mutex', rank: 2, declaration: at('bank.ts', 4) },
    { id: 'log', name: 'log', kind: 'Semaphore' },
  ],
  edges: [
    {
      from: 'accounts', to: 'ledger',
      chains: [
        { thread: 'main', steps: [{ location: at('bank.ts', 10), message: 'took accounts' }, { location: at('bank.ts', 11), message: 'took ledger' }] },
        { thread: 'worker.ts', steps: [{ location: at('worker.ts', 20), message: 'took ledger' }] },
      ],
    },
    { from: 'ledger', to: 'accounts', chains: [{ steps: [{ location: at('audit.ts', 7), message: 'took accounts' }] }] },
    { from: 'ledger', to: 'log', chains: [{ steps: [{ location: at('audit.ts', 9), message: 'took log' }] }] },
  ],
  cycles: [['accounts', 'ledger']],
};

const nodes = (g: StaticLockGraph): GraphNode[] => staticModel(g).elements.filter((e): e is GraphNode => e.group === 'nodes');
const edges = (g: StaticLockGraph): GraphEdge[] => staticModel(g).elements.filter((e): e is GraphEdge => e.group === 'edges');

test('every lock becomes a node labelled with its name and carrying its declaration', () => {
  const result = nodes(graph);
  assert.deepEqual(result.map((n) => [n.data.id, n.data.label, n.data.kind]), [
    ['accounts', 'accounts', 'Mutex'], ['ledger', 'ledger', 'Mutex'], ['log', 'log', 'Semaphore'],
  ]);
  assert.deepEqual(result[0]!.data.location, at('bank.ts', 3));
  assert.equal(result[2]!.data.location, undefined);
  assert.match(result[1]!.data.tooltip, /rank 2/);
});

test('order edges are labelled with the file and 1-based line where the inner lock was taken', () => {
  const result = edges(graph);
  assert.deepEqual(result.map((e) => [e.data.source, e.data.target, e.data.label]), [
    ['accounts', 'ledger', 'bank.ts:12 (+1)'],
    ['ledger', 'accounts', 'audit.ts:8'],
    ['ledger', 'log', 'audit.ts:10'],
  ]);
  assert.deepEqual(result[0]!.data.location, at('bank.ts', 11), 'a click opens the last step of the first chain');
  assert.match(result[0]!.data.tooltip, /on main, worker\.ts/);
});

test('the nodes and edges of a cycle are marked, and nothing else is', () => {
  const model = staticModel(graph);
  assert.equal(model.cycles, 1);
  assert.deepEqual(model.cycleNodes.sort(), ['accounts', 'ledger']);
  assert.deepEqual(nodes(graph).filter((n) => n.classes.includes('cycle')).map((n) => n.data.id), ['accounts', 'ledger']);
  assert.deepEqual(edges(graph).filter((e) => e.classes.includes('cycle')).map((e) => `${e.data.source}->${e.data.target}`),
    ['accounts->ledger', 'ledger->accounts']);
  assert.equal(model.headline, 'Potential deadlock: accounts -> ledger -> accounts');
});

test('a three-lock cycle closes from its last lock back to its first', () => {
  const three: StaticLockGraph = {
    nodes: ['a', 'b', 'c'].map((id) => ({ id, name: id.toUpperCase(), kind: 'Mutex' as const })),
    edges: [['a', 'b'], ['b', 'c'], ['c', 'a'], ['a', 'c']].map(([from, to]) => ({ from: from!, to: to!, chains: [] })),
    cycles: [['a', 'b', 'c']],
  };
  const marked = edges(three).filter((e) => e.classes.includes('cycle')).map((e) => `${e.data.source}->${e.data.target}`);
  assert.deepEqual(marked, ['a->b', 'b->c', 'c->a']);
  assert.equal(staticModel(three).headline, 'Potential deadlock: A -> B -> C -> A');
  assert.equal(edges(three)[0]!.data.label, '', 'an edge with no chain has no site to show');
});

test('edges to locks the graph does not list are dropped instead of breaking the drawing', () => {
  const broken: StaticLockGraph = { ...graph, edges: [...graph.edges, { from: 'ledger', to: 'ghost', chains: [] }] };
  assert.equal(edges(broken).length, 3);
});

test('an acyclic graph has no headline and no marked elements', () => {
  const model = staticModel({ ...graph, edges: [graph.edges[2]!], cycles: [] });
  assert.equal(model.headline, '');
  assert.equal(model.elements.filter((e) => e.classes.includes('cycle')).length, 0);
});

test('acquisitionSite skips chains with no steps', () => {
  assert.deepEqual(acquisitionSite({ from: 'a', to: 'b', chains: [{ steps: [] }, { steps: [{ location: at('x.ts', 0), message: '' }] }] }), at('x.ts', 0));
  assert.equal(acquisitionSite({ from: 'a', to: 'b', chains: [] }), undefined);
});

test('element ids are unique even when two edges join the same locks', () => {
  const doubled: StaticLockGraph = { ...graph, edges: [graph.edges[0]!, graph.edges[0]!] };
  const ids = staticModel(doubled).elements.map((e) => e.data.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('past two cycles the headline counts them instead of naming them all', () => {
  const many: StaticLockGraph = {
    nodes: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, name: id, kind: 'Mutex' as const })),
    edges: [],
    cycles: [['a', 'b'], ['c', 'd'], ['e', 'f']],
  };
  assert.equal(staticModel(many).headline, 'Potential deadlocks: 3 lock-order cycles, each drawn first below');
  assert.equal(staticModel({ ...many, cycles: many.cycles.slice(0, 2) }).headline, 'Potential deadlocks: a -> b -> a; c -> d -> c');
});
