/**
 * Condition: a bounded buffer with 2 producers and 2 consumers (blocking and async) loses and duplicates
 * nothing; misuse (waiting without the mutex, the wrong mutex in from()) fails clearly; timeouts re-take
 * the mutex before throwing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Condition, LockNotHeldError, Mutex, TimeoutError } from '../src/index.js';
import { call, pollingDeadline, startAgent, withDeadline, withWorkers } from './harness.js';
import { RING_ITEMS } from './workers/buffer.js';

async function boundedBuffer(async: boolean): Promise<void> {
  const CAPACITY = 4;
  const PER_PRODUCER = 3_000;
  const mutex = new Mutex({ name: 'ring' });
  const notFull = new Condition(mutex, { name: 'notFull' });
  const notEmpty = new Condition(mutex, { name: 'notEmpty' });
  const ring = new SharedArrayBuffer((RING_ITEMS + CAPACITY) * 4);
  const shared = { mutex: mutex.handle, notFull: notFull.handle, notEmpty: notEmpty.handle, ring, capacity: CAPACITY, async };
  await withWorkers(async (start) => {
    const consumers = [0, 1].map(() => start('buffer', { ...shared, role: 'consume', first: 0, count: 0 }));
    const producers = [0, 1].map((p) => start('buffer', { ...shared, role: 'produce', first: 1 + p * PER_PRODUCER, count: PER_PRODUCER }));
    await Promise.all(producers.map((w) => w.next()));
    // One stop value per consumer, put through the same protocol from this thread.
    for (let i = 0; i < consumers.length; i++) {
      await mutex.lockAsync();
      await notFull.waitForAsync(() => new Int32Array(ring)[2]! < CAPACITY);
      const r = new Int32Array(ring);
      r[RING_ITEMS + r[1]!] = -1;
      r[1] = (r[1]! + 1) % CAPACITY;
      r[2]!++;
      notEmpty.notify();
      mutex.unlock();
    }
    const taken = (await Promise.all(consumers.map((w) => w.next<number[]>()))).flat();
    assert.equal(taken.length, 2 * PER_PRODUCER);
    assert.deepEqual(
      taken.sort((a, b) => a - b),
      Array.from({ length: 2 * PER_PRODUCER }, (_, i) => i + 1),
    );
  });
}

test('bounded buffer, 2 producers and 2 consumers, blocking waits', () => boundedBuffer(false));
test('bounded buffer, 2 producers and 2 consumers, async waits', () => boundedBuffer(true));

test('wait without holding the mutex throws LockNotHeldError, here and in a worker', async () => {
  const mutex = new Mutex({ name: 'guard' });
  const cond = new Condition(mutex);
  assert.throws(() => cond.wait(), (e: Error) => e instanceof LockNotHeldError && e.message.includes("'guard'"));
  await assert.rejects(cond.waitAsync(), LockNotHeldError);
  mutex.lock();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle, c: cond.handle });
    const reply = await call(agent, 'c', 'wait', { timeout: 1_000 });
    assert.deepEqual([reply.ok, reply.error?.name], [false, 'LockNotHeldError']);
  });
  mutex.unlock();
});

test('from() with a different mutex throws a TypeError naming both', () => {
  const cond = new Condition(new Mutex());
  const other = new Mutex();
  assert.throws(() => Condition.from(cond.handle, other), (e: Error) => e instanceof TypeError && e.message.includes(`#${other.id}`));
});

test('a timed-out wait re-takes the mutex, then throws TimeoutError', async () => {
  const mutex = new Mutex();
  const cond = new Condition(mutex);
  mutex.lock();
  const began = performance.now();
  assert.throws(() => cond.wait({ timeout: 40 }), TimeoutError);
  const waited = performance.now() - began;
  assert.ok(waited >= 35 && waited < 5_000, `timed out after ${waited} ms`);
  assert.equal(mutex.isHeldByCurrentThread(), true);
  await assert.rejects(cond.waitAsync({ timeout: 20 }), TimeoutError);
  assert.equal(mutex.isHeldByCurrentThread(), true);
  assert.throws(() => cond.waitFor(() => false, { timeout: 20 }), TimeoutError);
  assert.equal(mutex.isHeldByCurrentThread(), true);
  const controller = new AbortController();
  const aborted = cond.waitAsync({ signal: controller.signal });
  controller.abort(new Error('stop'));
  await assert.rejects(aborted, /stop/);
  assert.equal(mutex.isHeldByCurrentThread(), true, 'an aborted wait re-takes the mutex too');
  mutex.unlock();
});

test('notify from a worker wakes a waiter here; notifyAll wakes every waiter', async () => {
  const mutex = new Mutex();
  const cond = new Condition(mutex);
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle, c: cond.handle });
    let entered = 0;
    const waiters = [0, 1, 2].map(async () => {
      await mutex.lockAsync();
      entered++;
      try {
        await cond.waitAsync();
      } finally {
        mutex.unlock();
      }
    });
    // A waiter that took the mutex gives it up only inside waitAsync, registered: so once this thread holds the mutex
    // after all three took it, all three are waiting. (Taking it once is not enough: it may barge ahead of a waiter
    // that has not had the mutex yet, and notifyAll would then miss that one.)
    const noLater = pollingDeadline('all three waiters inside waitAsync');
    for (;;) {
      await mutex.lockAsync();
      const all = entered === 3;
      mutex.unlock();
      if (all) break;
      noLater();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal((await call(agent, 'c', 'notifyAll')).ok, true);
    await withDeadline(Promise.all(waiters), 'the three waiters woken by notifyAll');
  });
});
