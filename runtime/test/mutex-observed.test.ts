/**
 * Mutex's observed path (checked mode or a tracer on) against its plain fast path: a release is reported to the
 * tracer exactly when its acquisition was, whichever of the two paths each call took, and ownership errors hold
 * on both; checked mode switched on after the fast path was optimized still applies. Runs in its own process, so
 * installing a tracer or turning checking on here touches no other test file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configure, DeadlockError, LockNotHeldError, LockOrderViolation, Mutex } from '../src/index.js';
import { installTracer, type Tracer } from '../src/trace/hooks.js';

function recordingTracer(events: string[]): Tracer {
  return {
    created: () => {},
    waitBegin: (id) => events.push(`waitBegin ${id}`),
    waitEnd: (id) => events.push(`waitEnd ${id}`),
    acquired: (id) => events.push(`acquired ${id}`),
    released: (id) => events.push(`released ${id}`),
    notified: () => {},
  };
}

test('a lock taken untraced and released traced reports nothing; the next traced pair reports both', (t) => {
  t.after(() => installTracer(undefined));
  const events: string[] = [];
  const mutex = new Mutex({ name: 'observed' });
  mutex.lock();
  installTracer(recordingTracer(events));
  assert.equal(mutex.isHeldByCurrentThread(), true);
  mutex.unlock();
  assert.deepEqual(events, [], 'the release of an unreported acquisition is not reported');
  assert.equal(mutex.isHeldByCurrentThread(), false);
  mutex.lock().unlock();
  assert.equal(mutex.tryLock() !== undefined, true);
  mutex.unlock();
  assert.deepEqual(events, [`acquired ${mutex.id}`, `released ${mutex.id}`, `acquired ${mutex.id}`, `released ${mutex.id}`]);
});

test('a lock taken traced still counts as held, and is released, after the tracer is removed', async (t) => {
  t.after(() => installTracer(undefined));
  const events: string[] = [];
  installTracer(recordingTracer(events));
  const mutex = new Mutex();
  const guard = await mutex.lockAsync();
  installTracer(undefined);
  assert.equal(mutex.isHeldByCurrentThread(), true);
  assert.throws(() => mutex.lock(), DeadlockError, 'an observed acquisition still counts as held by this thread');
  guard.unlock();
  assert.equal(mutex.isHeldByCurrentThread(), false);
  assert.throws(() => mutex.unlock(), LockNotHeldError);
  // The lock really is free: the plain fast path takes it.
  assert.equal(mutex.tryLock() !== undefined, true);
  mutex.unlock();
  assert.deepEqual(events, [`acquired ${mutex.id}`]);
});

test('lock() on a lock this thread holds through the observed path throws DeadlockError, traced', (t) => {
  t.after(() => installTracer(undefined));
  installTracer(recordingTracer([]));
  const mutex = new Mutex();
  mutex.lock();
  assert.throws(() => mutex.lock(), DeadlockError);
  mutex.unlock();
  assert.throws(() => mutex.unlock(), LockNotHeldError);
});

test('checked mode turned on after locks were created and used takes effect on their next lock()', (t) => {
  t.after(() => configure({ checkLockOrder: false }));
  const a = new Mutex({ name: 'a' });
  const b = new Mutex({ name: 'b' });
  // Enough rounds for the fast path to be optimized with checked mode off, which must not stick.
  for (let i = 0; i < 50_000; i++) {
    a.lock();
    b.lock();
    b.unlock();
    a.unlock();
  }
  configure({ checkLockOrder: true });
  a.withLock(() => b.withLock(() => {}));
  b.lock();
  assert.throws(() => a.lock(), LockOrderViolation);
  assert.equal(a.isHeldByCurrentThread(), false, 'the violation is thrown before taking the lock');
  b.unlock();
  configure({ checkLockOrder: false });
  b.withLock(() => a.withLock(() => {}));
});
