/**
 * Issue 16.1, with real workers: a wake-up must never depend on a thread that cannot take it. A thread that
 * aborted an async wait and then blocks, or a waiter chosen by a notify whose thread is stuck and then
 * terminated, must not leave a live waiter in another thread asleep while the Mutex is free, a Semaphore
 * permit is available, a Condition was notified or a queue item is present.
 */
import { test } from 'node:test';
import { Condition, Mutex, RecursiveMutex, Semaphore, SharedQueue } from '../src/index.js';
import { expectEvent, withWorkers } from './harness.js';
import type { FaultHandles, WaitKind } from './workers/faults.js';

interface Fixture {
  handles: FaultHandles;
  m: Mutex;
  s: Semaphore;
  c: Condition;
  q: SharedQueue<number>;
}

function fixture(): Fixture {
  const m = new Mutex({ name: 'm' });
  const s = new Semaphore(0, { name: 's' });
  const c = new Condition(m, { name: 'c' });
  const q = new SharedQueue<number>({ capacity: 4, name: 'q' });
  const r = new RecursiveMutex({ name: 'r' });
  const handles = { m: m.handle, r: r.handle, s: s.handle, c: c.handle, q: q.handle, gate: new SharedArrayBuffer(4) };
  return { handles, m, s, c, q };
}

/** Makes the primitive's wait necessary (mutex held here), then, once waiters are parked, makes it satisfiable. */
function arrange(f: Fixture, kind: WaitKind): () => void {
  if (kind === 'mutex') {
    f.m.lock();
    return () => f.m.unlock();
  }
  if (kind === 'semaphore') return () => f.s.release();
  if (kind === 'condition') return () => f.c.notify();
  return () => f.q.put(7);
}

for (const kind of ['mutex', 'semaphore', 'condition', 'queue'] as const) {
  test(`${kind}: a thread that aborted its async wait and then blocks does not swallow the next wake-up`, async () => {
    const f = fixture();
    const release = arrange(f, kind);
    await withWorkers(async (start) => {
      const stuck = start('faults', f.handles);
      const live = start('faults', f.handles);
      await expectEvent(stuck, 'ready', 'stuck worker');
      await expectEvent(live, 'ready', 'live worker');
      // The stuck worker's wait is registered first, so a notify of one would pick it.
      stuck.post({ op: 'wait', kind, abort: true, block: true });
      await expectEvent(stuck, 'parked', 'stuck worker');
      live.post({ op: 'wait', kind });
      await expectEvent(live, 'parked', 'live worker');
      release();
      await expectEvent(live, 'done', `live ${kind} waiter`);
    });
  });

  test(`${kind}: a waiter chosen to wake whose thread is stuck, then terminated, does not strand the next one`, async () => {
    const f = fixture();
    const release = arrange(f, kind);
    await withWorkers(async (start) => {
      const stuck = start('faults', f.handles);
      const live = start('faults', f.handles);
      await expectEvent(stuck, 'ready', 'stuck worker');
      await expectEvent(live, 'ready', 'live worker');
      stuck.post({ op: 'wait', kind, block: true });
      await expectEvent(stuck, 'parked', 'stuck worker');
      live.post({ op: 'wait', kind });
      await expectEvent(live, 'parked', 'live worker');
      release(); // picks the stuck worker's wait, which can never run
      await stuck.worker.terminate();
      await expectEvent(live, 'done', `live ${kind} waiter`);
    });
  });
}
