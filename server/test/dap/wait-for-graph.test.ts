/**
 * The wait-for graph engine alone: batches in, deadlocked threads, cycles, confirmation and descriptions out.
 * Scenarios are written as tiny scripts ("T holds L", "T waits L") so each test reads as the situation it checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceBatch, TraceEvent, TraceHoldings } from '@deadbolt/runtime/trace';
import { liveLockGraph } from '../../src/dap/live-graph.js';
import { TASK_THREAD_BASE, WaitForGraph } from '../../src/dap/wait-for-graph.js';

const site = (line: number) => ({ name: 'f', file: '/p/app.ts', line, column: 3 });

/** Builds a batch from lines like "2 holds 1", "2 waits 1", "2 waits-semaphore 1", "2 ends 1", "2 exits", "lock 1 lockA". */
function batch(...lines: string[]): TraceBatch {
  const events: TraceEvent[] = [];
  const held = new Map<number, number[]>();
  for (const line of lines) {
    const [a, verb, b, c] = line.split(' ');
    if (a === 'lock') {
      events.push({ type: 'created', thread: 0, lock: Number(verb), kind: 'Mutex', name: b! });
      continue;
    }
    const thread = Number(a);
    const lock = Number(b);
    if (verb === 'named') events.push({ type: 'thread-name', thread, name: b!, parent: 0 });
    else if (verb === 'holds') held.set(thread, [...(held.get(thread) ?? []), lock]);
    else if (verb === 'waits') events.push({ type: 'wait-begin', thread, lock, waitKind: 'lock', holding: true, frames: [site(40 + thread)], time: Number(c ?? 1000) });
    else if (verb === 'waits-semaphore') events.push({ type: 'wait-begin', thread, lock, waitKind: 'semaphore', holding: true, frames: [], time: 0 });
    else if (verb === 'waits-condition') events.push({ type: 'wait-begin', thread, lock, waitKind: 'condition', holding: true, frames: [], time: 0 });
    else if (verb === 'ends') events.push({ type: 'wait-end', thread, lock, acquired: true, time: 0 });
    else if (verb === 'exits') events.push({ type: 'thread-exit', thread, code: 1, time: 0 });
    else throw new Error(`bad script line: ${line}`);
  }
  const holdings: TraceHoldings[] = [...held].map(([thread, locks]) => ({
    thread,
    overflow: 0,
    held: locks.map((lock) => ({ lock, exact: true, site: site(10 * thread + lock) })),
  }));
  return { events, holdings, time: 0, dropped: 0 };
}

function graphOf(...lines: string[]): WaitForGraph {
  const graph = new WaitForGraph();
  graph.apply(batch(...lines));
  return graph;
}

test('two threads taking two locks in opposite orders form one cycle', () => {
  const graph = graphOf('lock 1 lockA', 'lock 2 lockB', '1 named ab', '2 named ba', '1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1');
  assert.deepEqual([...graph.deadlocked()].sort(), [1, 2]);
  assert.deepEqual(graph.cycles(), [{ threads: [1, 2], locks: [2, 1] }]);
  assert.equal(graph.describeCycle(graph.cycles()[0]!), 'ab holds lockA and waits for lockB; ba holds lockB and waits for lockA');
});

test('a wait for a lock whose holder runs is not a deadlock', () => {
  const graph = graphOf('1 holds 1', '2 holds 2', '1 waits 2');
  assert.equal(graph.deadlocked().size, 0);
  assert.deepEqual(graph.cycles(), []);
});

test('a thread blocked behind a cycle is deadlocked but not part of the cycle', () => {
  const graph = graphOf('1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1', '3 waits 1');
  assert.deepEqual([...graph.deadlocked()].sort(), [1, 2, 3]);
  assert.deepEqual(graph.cycles(), [{ threads: [1, 2], locks: [2, 1] }]);
});

test('five philosophers each holding the left fork form one cycle of five', () => {
  const lines: string[] = [];
  for (let p = 1; p <= 5; p++) lines.push(`${p} holds ${p}`, `${p} waits ${(p % 5) + 1}`);
  const cycles = graphOf(...lines).cycles();
  assert.equal(cycles.length, 1);
  assert.deepEqual(cycles[0]!.threads, [1, 2, 3, 4, 5]);
  assert.deepEqual(cycles[0]!.locks, [2, 3, 4, 5, 1]);
});

test('a semaphore wait never makes a deadlock: permits are not owned, any thread may release one', () => {
  assert.equal(graphOf('1 holds 9', '3 holds 1', '1 waits 1', '3 waits-semaphore 9').deadlocked().size, 0);
});

test('a lock wait whose every holder is stuck is deadlocked even with several holders listed', () => {
  assert.deepEqual([...graphOf('1 holds 9', '2 holds 9', '3 holds 1', '1 waits 1', '2 waits 1', '3 waits 9').deadlocked()].sort(), [1, 2, 3]);
  assert.equal(graphOf('1 holds 9', '2 holds 9', '3 holds 1', '1 waits 1', '3 waits 9').deadlocked().size, 0, 'holder 2 runs and may release');
});

test('a condition wait has no holder and never counts as a deadlock', () => {
  assert.equal(graphOf('1 holds 1', '1 waits-condition 1').deadlocked().size, 0);
});

test('a thread waiting for a lock it holds itself is a cycle of one', () => {
  assert.deepEqual(graphOf('1 holds 1', '1 waits 1').cycles(), [{ threads: [1], locks: [1] }]);
});

test('a wait that ended takes the thread out of the graph', () => {
  const graph = graphOf('1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1');
  graph.apply(batch('1 ends 2', '1 holds 1', '1 holds 2', '2 holds 2'));
  assert.deepEqual(graph.cycles(), []);
});

test('a cycle is confirmed only when the next batch still shows the same waits', () => {
  const graph = new WaitForGraph();
  graph.apply(batch('1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1'));
  assert.deepEqual(graph.confirmedCycles(), [], 'first sighting is only a suspicion');
  graph.apply(batch('1 holds 1', '2 holds 2'));
  assert.deepEqual(graph.confirmedCycles(), [{ threads: [1, 2], locks: [2, 1] }]);
});

test('a cycle that broke between two looks is not confirmed', () => {
  const graph = new WaitForGraph();
  graph.apply(batch('1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1'));
  graph.confirmedCycles();
  graph.apply(batch('2 ends 1', '2 holds 2', '2 holds 1', '1 holds 1'));
  assert.deepEqual(graph.confirmedCycles(), []);
});

test('a thread that exits holding a lock is reported with what it held', () => {
  const graph = new WaitForGraph();
  graph.apply(batch('lock 1 lockA', '3 named crasher', '3 holds 1'));
  const changes = graph.apply(batch('3 exits', '3 holds 1'));
  assert.deepEqual(changes.exited, [3]);
  assert.equal(changes.exitedHolding.length, 1);
  assert.equal(changes.exitedHolding[0]!.thread, 3);
  assert.deepEqual(changes.exitedHolding[0]!.held.map((h) => h.lock), [1]);
  assert.equal(graph.thread(3)!.state, 'exited');
});

test('long waits are those older than the threshold', () => {
  const graph = graphOf('1 holds 1', '2 waits 1 1000', '3 waits 1 1900');
  assert.deepEqual(graph.longWaits(2000, 500).map((t) => t.id), [2]);
});

test('the live graph lists holders, waiters, hold sites and cycles with DAP thread ids', () => {
  const graph = graphOf('lock 1 lockA', 'lock 2 lockB', '1 holds 1', '2 holds 2', '1 waits 2', '2 waits 1');
  const live = liveLockGraph(graph, graph.cycles(), true);
  assert.equal(live.deadlock, true);
  const lockA = live.locks.find((l) => l.name === 'lockA')!;
  assert.deepEqual(lockA.holders, [2]);
  assert.deepEqual(lockA.waiters, [3]);
  assert.equal(lockA.heldAt?.[2]?.range.start.line, 10, 'thread 1 took lock 1 at line 11 (0-based 10)');
  assert.deepEqual(live.cycles[0]!.threads, [2, 3]);
  assert.equal(live.threads.find((t) => t.id === 2)!.waitingFor, '2');
});

test('threads are named by their name option, told apart by id when two share one, else "worker #id"', () => {
  const g = new WaitForGraph();
  g.apply(batch('lock 1 ledger', '2 named teller', '3 named teller', '4 named auditor', '2 holds 1', '3 waits 1', '2 waits 1', '5 waits 1'));
  assert.equal(g.threadLabel(2), 'teller #2');
  assert.equal(g.threadLabel(3), 'teller #3');
  assert.equal(g.threadLabel(4), 'auditor');
  assert.equal(g.threadLabel(5), 'worker #5', 'a thread seen before its name event');
  assert.equal(g.threadLabel(0), 'main');
});

test('async tasks: held through events, labelled under their thread, forgotten when idle or when their thread exits', () => {
  const g = new WaitForGraph();
  const [t1, t2] = [TASK_THREAD_BASE + 1, TASK_THREAD_BASE + 2];
  const held = (thread: number, lock: number): TraceEvent => ({ type: 'task-held', thread, lock, site: site(lock) });
  const wait = (thread: number, lock: number): TraceEvent => ({ type: 'wait-begin', thread, lock, waitKind: 'lock', holding: true, frames: [site(50 + lock)], time: 0 });
  const apply = (...events: TraceEvent[]) => g.apply({ events, holdings: [{ thread: 0, overflow: 0, held: [] }], time: 0, dropped: 0 });
  const changes = apply(
    { type: 'thread-name', thread: t1, name: 'restock', parent: 0 },
    { type: 'thread-name', thread: t2, name: 'audit', parent: 0 },
    held(t1, -1),
    held(t2, -2),
    wait(t1, -2),
    wait(t2, -1),
  );
  assert.deepEqual(changes.started, [], 'tasks are not announced as threads');
  assert.deepEqual(g.thread(t1)!.held.map((h) => h.lock), [-1], 'the holdings snapshot of thread 0 does not erase a task\'s holds');
  assert.equal(g.threadLabel(t2), 'main › task 3 (audit)');
  assert.deepEqual(g.cycles(), [{ threads: [t1, t2], locks: [-2, -1] }]);

  apply({ type: 'task-released', thread: t2, lock: -2 }, { type: 'wait-end', thread: t1, lock: -2, acquired: true, time: 0 }, held(t1, -2));
  assert.deepEqual(g.cycles(), []);
  apply({ type: 'task-released', thread: t1, lock: -1 });
  assert.deepEqual(g.thread(t1)!.held.map((h) => h.lock), [-2]);
  apply({ type: 'task-released', thread: t1, lock: -2 }, { type: 'wait-end', thread: t2, lock: -1, acquired: false, time: 0 });
  assert.equal(g.thread(t1), undefined, 'a task that neither holds nor waits is forgotten');
  assert.equal(g.thread(t2), undefined);

  apply({ type: 'thread-name', thread: 5, name: 'pool', parent: 0 }, { type: 'thread-name', thread: t1 + 5, name: '', parent: 5 }, held(t1 + 5, -7));
  assert.equal(g.threadLabel(t1 + 5), 'pool › task 7');
  apply({ type: 'thread-exit', thread: 5, code: 0, time: 0 });
  assert.equal(g.thread(t1 + 5), undefined, 'a thread\'s tasks end with it');
});
