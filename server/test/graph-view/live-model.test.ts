// Unit tests of the live wait-for graph model: threads and locks as nodes, hold and wait edges, the deadlock marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveLockGraph } from '../../src/protocol/index.js';
import type { GraphEdge, GraphNode } from '../../src/graph-view/elements.js';
import { liveModel, lockNodeId, threadNodeId } from '../../src/graph-view/live-model.js';

const site = { uri: 'file:///app/worker.ts', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 9 } } };

// main holds A and waits for B; worker 1 holds B and waits for A; worker 2 runs and holds C.
const deadlocked: LiveLockGraph = {
  threads: [
    { id: 0, name: 'main', state: 'waiting', waitingFor: 'B' },
    { id: 1, name: 'worker 1', state: 'waiting', waitingFor: 'A' },
    { id: 2, name: 'worker 2', state: 'running' },
  ],
  locks: [
    { id: 'A', name: 'accounts', kind: 'Mutex', holders: [0], waiters: [1], heldAt: { 0: site } },
    { id: 'B', name: 'ledger', kind: 'Mutex', holders: [1], waiters: [0] },
    { id: 'C', name: 'log', kind: 'Semaphore', holders: [2], waiters: [] },
    { id: 'D', name: 'idle', kind: 'Mutex', holders: [], waiters: [] },
  ],
  cycles: [{ threads: [0, 1], locks: ['A', 'B'], description: 'main holds accounts and waits for ledger; worker 1 holds ledger and waits for accounts' }],
  deadlock: true,
};

const model = liveModel(deadlocked);
const nodes = model.elements.filter((e): e is GraphNode => e.group === 'nodes');
const edges = model.elements.filter((e): e is GraphEdge => e.group === 'edges');

test('threads and locks are nodes with ids that cannot collide', () => {
  assert.deepEqual(nodes.map((n) => n.data.id), ['thread:0', 'thread:1', 'thread:2', 'lock:A', 'lock:B', 'lock:C', 'lock:D']);
  assert.ok(nodes.find((n) => n.data.id === threadNodeId(2))!.classes.includes('running'));
  assert.equal(nodes.find((n) => n.data.id === threadNodeId(0))!.data.tooltip, 'main: waiting for ledger');
  assert.ok(nodes.find((n) => n.data.id === lockNodeId('D'))!.classes.includes('free'));
  assert.ok(nodes.find((n) => n.data.id === lockNodeId('C'))!.classes.includes('held'));
});

test('a lock points at each holder and each waiter points at the lock', () => {
  assert.deepEqual(edges.map((e) => [e.data.source, e.data.target, e.data.label]), [
    ['lock:A', 'thread:0', 'held by'],
    ['thread:1', 'lock:A', 'waits for'],
    ['lock:B', 'thread:1', 'held by'],
    ['thread:0', 'lock:B', 'waits for'],
    ['lock:C', 'thread:2', 'held by'],
  ]);
  assert.deepEqual(edges[0]!.data.location, site, 'the hold edge opens where the lock was taken');
  assert.deepEqual(nodes.find((n) => n.data.id === 'lock:A')!.data.location, site);
});

test('the deadlock cycle is highlighted and named in the headline', () => {
  assert.deepEqual(model.cycleNodes.sort(), ['lock:A', 'lock:B', 'thread:0', 'thread:1']);
  assert.deepEqual(edges.filter((e) => e.classes.includes('cycle')).length, 4);
  assert.ok(!edges.find((e) => e.data.source === 'lock:C')!.classes.includes('cycle'));
  assert.equal(model.headline, `Deadlock: ${deadlocked.cycles[0]!.description}`);
});

test('a running program without cycles has no headline and nothing highlighted', () => {
  const calm = liveModel({ ...deadlocked, cycles: [], deadlock: false });
  assert.equal(calm.headline, '');
  assert.equal(calm.cycles, 0);
  assert.equal(calm.elements.filter((e) => e.classes.includes('cycle')).length, 0);
});

test('holders and waiters that are not listed threads are left out rather than drawn dangling', () => {
  const partial = liveModel({ ...deadlocked, threads: deadlocked.threads.slice(0, 1), cycles: [], deadlock: false });
  const ids = new Set(partial.elements.filter((e) => e.group === 'nodes').map((e) => e.data.id));
  for (const edge of partial.elements.filter((e): e is GraphEdge => e.group === 'edges')) {
    assert.ok(ids.has(edge.data.source) && ids.has(edge.data.target), `${edge.data.id} joins drawn nodes`);
  }
});

test('the view names the live graph\'s sections in its own words, the deadlock first', async () => {
  const { buildView, defaultViewOptions } = await import('../../src/graph-view/view.js');
  const view = buildView(liveModel(deadlocked), { ...defaultViewOptions, showIsolated: true });
  assert.deepEqual(view.sections.map((s) => s.kind), ['cycle', 'edges', 'isolated']);
  assert.equal(view.sections[2]!.title, '1 element with nothing held or awaited');
  assert.match(view.sections[0]!.title, /^Cycle 1 of 1: main \u2192 ledger \u2192 worker 1 \u2192 accounts \u2192 main$/);
  assert.match(view.sections[1]!.title, /^Other holds and waits: /);
});

test('a potential deadlock marks its locks and draws each observed order, and headlines a run that did not deadlock', () => {
  const took = (line: number) => [{ location: { ...site, range: { start: { line, character: 2 }, end: { line, character: 2 } } }, message: 'transfer' }];
  const hazard = liveModel({
    ...deadlocked,
    threads: deadlocked.threads.map((t) => ({ id: t.id, name: t.name, state: 'running' as const })),
    locks: deadlocked.locks.map((l) => ({ ...l, waiters: [] })),
    cycles: [],
    deadlock: false,
    potentialDeadlocks: [{
      locks: ['A', 'B'],
      description: 'accounts -> ledger -> accounts',
      steps: [
        { thread: 'worker 1', held: 'A', taken: 'B', heldAt: took(3), takenAt: took(5) },
        { thread: 'main', held: 'B', taken: 'A', heldAt: took(8), takenAt: took(10) },
      ],
    }],
  });
  assert.equal(hazard.hazards, 1);
  assert.equal(hazard.cycles, 0, 'a potential deadlock is not a deadlock cycle');
  const orders = hazard.elements.filter((e): e is GraphEdge => e.group === 'edges' && e.classes.includes('hazard'));
  assert.deepEqual(orders.map((e) => [e.data.source, e.data.target, e.data.label, e.data.location?.range.start.line]), [
    ['lock:A', 'lock:B', 'then takes', 5],
    ['lock:B', 'lock:A', 'then takes', 10],
  ]);
  const marked = hazard.elements.filter((e) => e.group === 'nodes' && e.classes.includes('hazard')).map((e) => e.data.id);
  assert.deepEqual(marked, ['lock:A', 'lock:B']);
  assert.equal(hazard.headline, 'Potential deadlock: accounts -> ledger -> accounts (locks taken in orders that can deadlock)');
});
