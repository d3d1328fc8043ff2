/**
 * The lock-order graph (lockdep) and the trace monitor's use of it, without a program: observed orders in, potential
 * deadlocks out, each reported once, from threads and from async tasks, with semaphores left out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceBatch, TraceEvent } from '@deadbolt/runtime/trace';
import { LockOrderGraph, type OrderEdge } from '../../src/dap/lock-order.js';
import { TraceMonitor } from '../../src/dap/trace-monitor.js';
import { TASK_THREAD_BASE } from '../../src/dap/wait-for-graph.js';

const frame = (line: number) => ({ name: 'transfer', file: '/p/bank.ts', line, column: 5 });
const edge = (thread: number, held: number, taken: number): OrderEdge => ({ thread, held, taken, heldAt: [frame(10 + held)], takenAt: [frame(20 + taken)] });

test('the second order of two locks, in another thread, closes a cycle: one report, the closing edge first', () => {
  const graph = new LockOrderGraph();
  assert.equal(graph.add(edge(1, 1, 2)), undefined);
  const found = graph.add(edge(2, 2, 1));
  assert.deepEqual(found?.locks, [2, 1]);
  assert.deepEqual(found?.edges.map((e) => [e.thread, e.held, e.taken]), [[2, 2, 1], [1, 1, 2]]);
  // The same orders again, from any thread, add nothing: a cycle is reported once.
  assert.equal(graph.add(edge(3, 1, 2)), undefined);
  assert.equal(graph.add(edge(4, 2, 1)), undefined);
  assert.equal(graph.all().length, 1);
});

test('a cycle through three locks is found when its last order arrives, with the whole recorded chain', () => {
  const graph = new LockOrderGraph();
  assert.equal(graph.add(edge(1, 1, 2)), undefined);
  assert.equal(graph.add(edge(2, 2, 3)), undefined);
  const found = graph.add(edge(4, 3, 1));
  assert.deepEqual(found?.locks, [3, 1, 2]);
  assert.deepEqual(found?.edges.map((e) => `${e.held}->${e.taken}`), ['3->1', '1->2', '2->3']);
});

test('consistent orders and taking a lock again are never reported', () => {
  const graph = new LockOrderGraph();
  for (const e of [edge(1, 1, 2), edge(2, 1, 2), edge(1, 2, 3), edge(1, 1, 1), edge(2, 1, 3)]) assert.equal(graph.add(e), undefined);
  assert.equal(graph.all().length, 0);
});

function batch(events: TraceEvent[]): TraceBatch {
  return { events, holdings: [], time: 0, dropped: 0 };
}

const created = (lock: number, kind: string, name: string): TraceEvent => ({ type: 'created', thread: 0, lock, kind, name });
const order = (thread: number, held: number, taken: number): TraceEvent => ({
  type: 'lock-order', thread, held, taken, heldAt: [frame(10 + held)], takenAt: [frame(20 + taken)], time: 0,
});

test('the monitor reports a cycle of thread orders in checked mode\'s words, with both stacks, and marks the live graph', () => {
  const monitor = new TraceMonitor();
  monitor.apply(batch([created(1, 'Mutex', 'savings'), created(2, 'Mutex', 'checking'), { type: 'thread-name', thread: 2, name: 'teller-1', parent: 0 },
    { type: 'thread-name', thread: 3, name: 'teller-2', parent: 0 }, order(2, 1, 2)]));
  const update = monitor.apply(batch([order(3, 2, 1)]));
  assert.equal(update.potentialDeadlocks.length, 1);
  const found = update.potentialDeadlocks[0]!;
  assert.equal(monitor.potentialDeadlockSummary(found).split(' (')[0], 'Potential deadlock: checking -> savings -> checking');
  const report = monitor.potentialDeadlockReport(found).split('\n');
  assert.equal(report[1], '  teller-2 took savings at transfer (/p/bank.ts:21:5) while holding checking (taken at transfer (/p/bank.ts:12:5))');
  assert.deepEqual(report.slice(2, 6), ['    savings taken at:', '      transfer (/p/bank.ts:21:5)', '    checking taken at:', '      transfer (/p/bank.ts:12:5)']);
  assert.equal(monitor.closingThread(found)?.name, 'teller-2');
  const live = monitor.liveGraph();
  assert.equal(live.deadlock, false);
  assert.deepEqual(live.potentialDeadlocks?.map((p) => p.description), ['checking -> savings -> checking']);
  assert.deepEqual(live.potentialDeadlocks?.[0]?.steps.map((s) => [s.thread, s.held, s.taken]), [['teller-2', '2', '1'], ['teller-1', '1', '2']]);
  assert.equal(live.potentialDeadlocks?.[0]?.steps[0]?.takenAt[0]?.location.uri, 'file:///p/bank.ts');
});

test('the monitor leaves semaphores out: their permits are not owned', () => {
  const monitor = new TraceMonitor();
  monitor.apply(batch([created(1, 'Semaphore', 'slots'), created(2, 'Mutex', 'ledger'), order(2, 1, 2)]));
  assert.equal(monitor.apply(batch([order(3, 2, 1)])).potentialDeadlocks.length, 0);
});

test('async tasks: a task that takes a lock while holding another makes an order, also when it only begins to wait', () => {
  const monitor = new TraceMonitor();
  const [t1, t2] = [TASK_THREAD_BASE + 1, TASK_THREAD_BASE + 2];
  monitor.apply(batch([created(-5, 'web lock', 'inventory'), created(-6, 'web lock', 'orders'),
    { type: 'task-held', thread: t1, lock: -5, site: frame(1) }, { type: 'task-held', thread: t1, lock: -6, site: frame(2) }]));
  const update = monitor.apply(batch([{ type: 'task-held', thread: t2, lock: -6, site: frame(3) },
    { type: 'wait-begin', thread: t2, lock: -5, waitKind: 'lock', holding: true, frames: [frame(4)], time: 0 }]));
  assert.equal(update.potentialDeadlocks.length, 1);
  assert.deepEqual(update.potentialDeadlocks[0]!.edges.map((e) => [e.thread, e.held, e.taken, e.takenAt[0]!.line]), [[t2, -6, -5, 4], [t1, -5, -6, 2]]);
});
