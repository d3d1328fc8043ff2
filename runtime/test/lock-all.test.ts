/**
 * lockAll / lockAllAsync: 4 workers taking random overlapping sets of 6 locks (in random order, with
 * duplicates) never deadlock and never miss a lock; the order is rank then id; everything is released on throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockAll, lockAllAsync, Mutex, RecursiveMutex } from '../src/index.js';
import { globalOrder } from '../src/lock-all.js';
import { withWorkers } from './harness.js';

test('random overlapping lock sets across 4 workers: no deadlock, exact per-lock counts', { timeout: 60_000 }, async () => {
  const locks = [
    ...Array.from({ length: 4 }, (_, i) => new Mutex({ name: `m${i}` })),
    new RecursiveMutex({ name: 'r' }),
    new Mutex({ name: 'ranked', rank: 1 }),
  ];
  const counters = new SharedArrayBuffer(locks.length * 4);
  const perWorker = await withWorkers(async (start) => {
    const workers = Array.from({ length: 4 }, (_, seed) =>
      start('lock-all', { locks: locks.map((l) => l.handle), counters, iterations: 4_000, seed: 7919 * (seed + 1) }),
    );
    return Promise.all(workers.map((w) => w.next<number[]>()));
  });
  const expected = locks.map((_, i) => perWorker.reduce((sum, counts) => sum + counts[i]!, 0));
  assert.deepEqual([...new Int32Array(counters)], expected);
  assert.ok(expected.every((n) => n > 0));
});

test('global order is by rank (unranked last), then by id, each lock once', () => {
  const a = new Mutex();
  const b = new Mutex({ rank: 5 });
  const c = new Mutex({ rank: 2 });
  const d = new Mutex();
  const order = globalOrder([d, a, b, c, a, Mutex.from(d.handle)]);
  assert.deepEqual(order.map((l) => l.id), [c.id, b.id, a.id, d.id]);
});

test('everything is released when fn throws, or when a later lock cannot be taken', async () => {
  const a = new Mutex();
  const b = new Mutex();
  assert.throws(() => lockAll([a, b], () => { throw new Error('inside'); }), /inside/);
  assert.equal(a.isHeldByCurrentThread() || b.isHeldByCurrentThread(), false);
  await assert.rejects(lockAllAsync([b, a], async () => { throw new Error('async inside'); }), /async inside/);
  assert.equal(a.isHeldByCurrentThread() || b.isHeldByCurrentThread(), false);
  b.lock();
  // b is held by this thread: lockAll takes a first (lower id), then lock(b) throws DeadlockError; a must be freed.
  assert.throws(() => lockAll([b, a], () => 0), { name: 'DeadlockError' });
  assert.equal(a.isHeldByCurrentThread(), false);
  b.unlock();
  assert.equal(lockAll([a, b, a], () => a.isHeldByCurrentThread() && b.isHeldByCurrentThread()), true);
  assert.equal(await lockAllAsync([a, b], async () => 3), 3);
});
