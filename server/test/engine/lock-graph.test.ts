/** The static lock graph (`deadbolt graph`, `deadbolt/lockGraph`): nodes by identity, edges with chains and threads, cycles. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixtureFolder } from '../helpers/fixtures.js';

test('lock graph: workers started with opposite workerData make a cycle between the origin locks', () => {
  const { graph } = analyzeFixtureFolder('lock-order/bank-transfer');
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual([...names.values()].sort(), ['alice', 'bob']);
  const edges = graph.edges.map((e) => `${names.get(e.from)} -> ${names.get(e.to)}`).sort();
  assert.deepEqual(edges, ['alice -> bob', 'bob -> alice']);
  assert.equal(graph.cycles.length, 1);
  const threads = graph.edges.flatMap((e) => e.chains.map((c) => c.thread)).sort();
  assert.deepEqual(threads, ['worker teller.ts #1', 'worker teller.ts #2']);
  const steps = graph.edges[0]!.chains[0]!.steps;
  assert.match(steps[0]!.message, /calls `transfer`/);
  assert.match(steps[steps.length - 1]!.message, /takes `(alice|bob)` while holding `(alice|bob)`/);
  assert.ok(steps.every((s) => s.location.uri.startsWith('file://') && s.location.range.start.line >= 0));
});

test('lock graph: nodes carry kind, declared rank and declaration; lockAll and tryLock add no edges', () => {
  const { graph } = analyzeFixtureFolder('lock-order');
  const low = graph.nodes.find((n) => n.name === 'low');
  assert.equal(low?.kind, 'Mutex');
  assert.equal(low?.rank, 1);
  assert.match(low?.declaration?.uri ?? '', /ranks\.ts$/);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const negatives = graph.edges.filter((e) => e.chains.some((c) => c.steps.some((s) => s.location.uri.endsWith('negatives.ts'))));
  assert.deepEqual(negatives.map((e) => `${names.get(e.from)} -> ${names.get(e.to)}`), ['b -> a']);
});

test('lock graph: the dining philosophers and two instances of one class are self-loops, one node each', () => {
  const { graph } = analyzeFixtureFolder('lock-order');
  const selfLoops = graph.cycles.filter((c) => c.length === 1).map((c) => graph.nodes.find((n) => n.id === c[0])?.name);
  // Account's field is created with `{ name: 'account' }`, so that is its name, as at run time. `Box.lock` and `m` are
  // one field of two parameters typed by an interface and by a written-out object type (structural-transfer.ts).
  assert.deepEqual(selfLoops.sort(), ['Box.lock', 'account', 'chopsticks[*]', 'forks[*]', 'm']);
  // Named by its `name` option, the field still belongs to its class, for grouping by class.
  assert.equal(graph.nodes.find((n) => n.name === 'account')?.owner, 'Account');
});

test('lock graph: a lock and its from() in a worker, rebuilt in a helper and destructured, are one node (issue 14, item 8)', () => {
  const { graph } = analyzeFixtureFolder('cli/graph-worker');
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual([...names.values()].sort(), ['audit', 'ledger']);
  assert.ok(graph.nodes.every((n) => n.declaration?.uri.endsWith('main.ts')), 'both nodes are declared where the main thread creates them');
  assert.deepEqual(graph.edges.map((e) => `${names.get(e.from)}->${names.get(e.to)}`).sort(), ['audit->ledger', 'ledger->audit']);
  assert.equal(graph.cycles.length, 1);
});

test('lock graph: the producer-consumer example has one buffer lock, not one per worker function', () => {
  const { graph } = analyzeFixtureFolder('examples');
  const buffers = graph.nodes.filter((n) => n.name === 'buffer' || n.name === 'bufferLock');
  assert.deepEqual(buffers.map((n) => n.name), ['buffer']);
});
