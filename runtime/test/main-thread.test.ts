/**
 * A thread that may not block (a browser page's main thread), simulated on Node through blocking.ts's seam: every
 * blocking method throws BlockingNotAllowedError naming the lock and its async twin, contended or not, and leaves
 * nothing taken or counted; SharedQueue's tryGet/tryPut/taskDone never wait. The Chromium suite checks the same on a
 * real page, where the probe (not the seam) decides.
 */

import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Barrier, BlockingNotAllowedError, Condition, Event, lockAll, Mutex, RecursiveMutex, Semaphore, SharedQueue } from '../src/index.js';
import { blockingForbidden, simulateBlockingForbidden } from '../src/blocking.js';
import { call, startAgent, withDeadline, withWorkers } from './harness.js';

beforeEach(() => simulateBlockingForbidden(true));
afterEach(() => simulateBlockingForbidden(false));

/** Asserts `fn` throws BlockingNotAllowedError whose message names `label` and `instead`. */
function assertRefused(fn: () => unknown, label: string, instead: string): void {
  assert.throws(fn, (error: Error) => {
    assert.equal(error.name, 'BlockingNotAllowedError');
    assert.ok(error instanceof BlockingNotAllowedError);
    assert.ok(error.message.includes(label), `message names ${label}: ${error.message}`);
    assert.ok(error.message.includes(`Use ${instead}`), `message names ${instead}: ${error.message}`);
    return true;
  });
}

test("Node's main thread may block: the probe says so, and the seam is what turns it off", () => {
  simulateBlockingForbidden(false);
  assert.equal(blockingForbidden, false);
  simulateBlockingForbidden(true);
  assert.equal(blockingForbidden, true);
});

test('every blocking method is refused uncontended, and nothing is taken', () => {
  const mutex = new Mutex({ name: 'jobs' });
  assertRefused(() => mutex.lock(), `Mutex 'jobs' (#${mutex.id}).lock()`, 'lockAsync()');
  assertRefused(() => mutex.withLock(() => 1), '.withLock()', 'withLockAsync()');
  assert.equal(mutex.isHeldByCurrentThread(), false);
  assert.notEqual(mutex.tryLock(), undefined, 'tryLock does not block and still works');
  mutex.unlock();

  const recursive = new RecursiveMutex({ name: 'tree' });
  assertRefused(() => recursive.lock(), `RecursiveMutex 'tree'`, 'lockAsync()');
  assertRefused(() => recursive.withLock(() => 1), '.withLock()', 'withLockAsync()');
  assert.equal(recursive.depth, 0);

  const semaphore = new Semaphore(2, { name: 'slots' });
  assertRefused(() => semaphore.acquire(), `Semaphore 'slots'`, 'acquireAsync()');
  assertRefused(() => semaphore.withPermit(() => 1), '.withPermit()', 'withPermitAsync()');
  assert.equal(semaphore.available, 2);

  const event = new Event({ name: 'ready' });
  event.set();
  assertRefused(() => event.wait({ timeout: 0 }), `Event 'ready'`, 'waitAsync()');

  assertRefused(() => lockAll([mutex, recursive], () => 1), 'lockAll()', 'lockAllAsync()');
  assert.equal(mutex.isHeldByCurrentThread(), false);
  assert.equal(recursive.depth, 0);

  const queue = new SharedQueue<number>({ capacity: 2, name: 'work' });
  assertRefused(() => queue.put(1), `SharedQueue 'work'`, 'putAsync()');
  assertRefused(() => queue.get(), '.get()', 'getAsync()');
  assertRefused(() => queue.join(), '.join()', 'joinAsync()');
  assert.equal(queue.size, 0);
});

test('Condition.wait is refused with the mutex still held, as the caller came', async () => {
  const mutex = new Mutex({ name: 'm' });
  const cond = new Condition(mutex, { name: 'changed' });
  await mutex.lockAsync();
  assertRefused(() => cond.wait({ timeout: 10 }), `Condition 'changed'`, 'waitAsync()');
  assertRefused(() => cond.waitFor(() => true), '.waitFor()', 'waitForAsync()');
  assert.equal(mutex.isHeldByCurrentThread(), true);
  mutex.unlock();
});

test('a refused Barrier.wait counts no arrival: the next two arrivals trip the round together', async () => {
  const barrier = new Barrier(2, { name: 'round' });
  assertRefused(() => barrier.wait(), `Barrier 'round'`, 'waitAsync()');
  const indices = await withDeadline(Promise.all([barrier.waitAsync(), barrier.waitAsync()]), 'trip of the barrier by two async parties');
  assert.deepEqual(indices.sort(), [0, 1]);
  assert.equal(barrier.broken, false);
});

test('under contention the refusal is the same Deadbolt error, not the engine TypeError', async () => {
  await withWorkers(async (start) => {
    const mutex = new Mutex({ name: 'held' });
    const agent = await startAgent(start, { m: mutex.handle });
    assert.equal((await call(agent, 'm', 'lock')).ok, true);
    assertRefused(() => mutex.lock({ timeout: 5_000 }), `Mutex 'held'`, 'lockAsync()');
    assert.equal(mutex.tryLock(), undefined);
    assert.equal((await call(agent, 'm', 'unlock')).ok, true);
  });
});

test("SharedQueue's tryGet, tryPut and taskDone never wait for the queue's lock; deferred taskDones land once it is free", async () => {
  await withWorkers(async (start) => {
    const queue = new SharedQueue<number>({ capacity: 2, name: 'jobs' });
    assert.equal(queue.tryPut(1), true);
    assert.equal(queue.tryGet(), 1);
    assert.equal(queue.tryPut(2), true); // one item in, one room left, two unfinished
    // Another thread holds the queue's internal lock: before, each call waited up to a second and threw TimeoutError.
    const agent = await startAgent(start, { qlock: queue.handle.mutex });
    assert.equal((await call(agent, 'qlock', 'lock')).ok, true);
    assert.equal(queue.tryGet(), undefined, 'busy counts as empty');
    assert.equal(queue.tryPut(3), false, 'busy counts as full');
    queue.taskDone();
    queue.taskDone();
    assert.throws(() => queue.taskDone(), RangeError, 'pending marks count: a third taskDone is one too many');
    const join = queue.joinAsync();
    assert.equal((await call(agent, 'qlock', 'unlock')).ok, true);
    await withDeadline(join, 'joinAsync after both deferred marks');
    assert.equal(queue.size, 1);
    assert.equal(await withDeadline(queue.getAsync(), 'getAsync of item 2'), 2);
  });
});
