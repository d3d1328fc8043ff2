/**
 * Mutex across real worker threads: exact counts under contention (no lost updates), ownership errors
 * (double lock, unlock by a non-holder in another worker), timeouts, async waits that keep the event loop
 * turning, and abort of a pending lockAsync without stranding the next waiter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlockError, LockGuard, LockNotHeldError, Mutex, TimeoutError } from '../src/index.js';
import { call, startAgent, withWorkers } from './harness.js';

test('a counter incremented under the lock by 4 workers is exact', async () => {
  const WORKERS = 4;
  const ITERATIONS = 20_000;
  const mutex = new Mutex({ name: 'counter' });
  const counter = new SharedArrayBuffer(4);
  await withWorkers(async (start) => {
    const workers = Array.from({ length: WORKERS }, () => start('counter', { mutex: mutex.handle, counter, iterations: ITERATIONS }));
    await Promise.all(workers.map((w) => w.next()));
  });
  assert.equal(new Int32Array(counter)[0], WORKERS * ITERATIONS);
});

test('lock() returns the same reusable guard, which unlocks and is Disposable', () => {
  const mutex = new Mutex();
  const first = mutex.lock();
  assert.ok(first instanceof LockGuard);
  assert.equal(mutex.isHeldByCurrentThread(), true);
  first.unlock();
  assert.equal(mutex.isHeldByCurrentThread(), false);
  {
    using second = mutex.lock();
    assert.equal(second, first, 'no allocation per lock(): one guard per Mutex instance');
  }
  assert.equal(mutex.isHeldByCurrentThread(), false, 'using released it');
  assert.equal(mutex.tryLock(), first);
  assert.equal(mutex.tryLock(), undefined);
  mutex.unlock();
});

test('lock() by the holding thread throws DeadlockError at once', () => {
  const mutex = new Mutex({ name: 'twice' });
  mutex.lock();
  assert.throws(() => mutex.lock(), (e: Error) => e instanceof DeadlockError && e.message.includes("'twice'"));
  mutex.unlock();
});

test('unlock() of a free mutex, or by a worker that does not hold it, throws LockNotHeldError', async () => {
  const mutex = new Mutex({ name: 'owned' });
  assert.throws(() => mutex.unlock(), LockNotHeldError);
  mutex.lock();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle });
    const reply = await call(agent, 'm', 'unlock');
    assert.equal(reply.ok, false);
    assert.equal(reply.error?.name, 'LockNotHeldError');
    assert.match(reply.error!.message, /held by the main thread/);
  });
  assert.equal(mutex.isHeldByCurrentThread(), true, 'the failed unlock left the lock with its holder');
  mutex.unlock();
});

test('lock({ timeout }) throws TimeoutError within generous bounds, in a worker and in this thread', async () => {
  const mutex = new Mutex({ name: 'busy' });
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle });
    assert.equal((await call(agent, 'm', 'lock')).ok, true);
    let began = performance.now();
    assert.throws(() => mutex.lock({ timeout: 50 }), TimeoutError);
    let waited = performance.now() - began;
    assert.ok(waited >= 45 && waited < 5_000, `blocking timeout after ${waited} ms`);
    began = performance.now();
    await assert.rejects(mutex.lockAsync({ timeout: 50 }), TimeoutError);
    waited = performance.now() - began;
    assert.ok(waited >= 45 && waited < 5_000, `async timeout after ${waited} ms`);
    assert.equal((await call(agent, 'm', 'unlock')).ok, true);
  });
  mutex.lock({ timeout: 0 }).unlock();
});

test('a contended lockAsync keeps the event loop turning until a worker unlocks', async () => {
  const mutex = new Mutex();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle });
    await call(agent, 'm', 'lock');
    let turns = 0;
    let acquired = false;
    const pending = mutex.lockAsync().then((guard) => {
      acquired = true;
      return guard;
    });
    // The worker is told to unlock only after the loop has turned 100 times while lockAsync was pending;
    // if lockAsync blocked the thread, this never happens and the test times out.
    await new Promise<void>((resolve) => {
      const spin = (): void => {
        assert.equal(acquired, false);
        if (++turns === 100) resolve();
        else setImmediate(spin);
      };
      setImmediate(spin);
    });
    agent.post({ target: 'm', method: 'unlock' });
    const guard = await pending;
    assert.equal(mutex.isHeldByCurrentThread(), true);
    guard.unlock();
    assert.equal(turns, 100);
    await agent.next();
  });
});

test('lockAsync from the holding thread waits for another coroutine to release', async () => {
  const mutex = new Mutex();
  const guard = await mutex.lockAsync();
  let second = false;
  const pending = mutex.lockAsync().then((g) => {
    second = true;
    return g;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(second, false);
  guard.unlock();
  (await pending).unlock();
  assert.equal(second, true);
});

test('an uncontended lockAsync resolves to an already-resolved, reused promise', async () => {
  const mutex = new Mutex();
  const p1 = mutex.lockAsync();
  (await p1).unlock();
  const p2 = mutex.lockAsync();
  assert.equal(p1, p2, 'the fast path allocates no promise');
  (await p2).unlock();
});

test('aborting a pending lockAsync rejects it and passes any wake-up on to the next waiter', async () => {
  const mutex = new Mutex();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle });
    await call(agent, 'm', 'lock');
    const controller = new AbortController();
    const aborted = mutex.lockAsync({ signal: controller.signal });
    const next = mutex.lockAsync();
    controller.abort(new Error('gave up'));
    await assert.rejects(aborted, /gave up/);
    // The aborted waiter's waitAsync is still queued first; the worker's unlock notifies exactly one waiter.
    agent.post({ target: 'm', method: 'unlock' });
    (await next).unlock();
    await agent.next();
  });
  await assert.rejects(mutex.lockAsync({ signal: AbortSignal.abort(new Error('already')) }), /already/);
  assert.equal(mutex.isHeldByCurrentThread(), false);
});

test('withLock and withLockAsync release on throw', async () => {
  const mutex = new Mutex();
  assert.equal(mutex.withLock(() => 7), 7);
  assert.throws(() => mutex.withLock(() => { throw new Error('boom'); }), /boom/);
  assert.equal(mutex.isHeldByCurrentThread(), false);
  await assert.rejects(mutex.withLockAsync(async () => { throw new Error('later'); }), /later/);
  assert.equal(mutex.isHeldByCurrentThread(), false);
  assert.equal(await mutex.withLockAsync(async () => 8), 8);
});
