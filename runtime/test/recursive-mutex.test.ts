/** RecursiveMutex: counted re-entry by the holder; other threads wait until the last unlock; misuse errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LockNotHeldError, RecursiveMutex } from '../src/index.js';
import { call, startAgent, withWorkers, WITHIN_MS } from './harness.js';

test('the holder re-enters; another worker gets it only after as many unlocks', async () => {
  const mutex = new RecursiveMutex({ name: 'nested' });
  mutex.lock();
  mutex.lock();
  assert.ok(mutex.tryLock());
  await mutex.lockAsync();
  assert.equal(mutex.depth, 4);
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { r: mutex.handle });
    for (let depth = 4; depth > 1; depth--) {
      assert.equal((await call(agent, 'r', 'tryLock')).value, undefined, `still held at depth ${depth}`);
      mutex.unlock();
    }
    assert.equal(mutex.depth, 1);
    agent.post({ target: 'r', method: 'lock', args: [{ timeout: WITHIN_MS }] });
    mutex.unlock();
    assert.equal((await agent.next<{ ok: boolean }>()).ok, true, 'the worker took it after the last unlock');
    assert.equal(mutex.depth, 0);
    const reply = await call(agent, 'r', 'unlock');
    assert.equal(reply.ok, true);
  });
  assert.throws(() => mutex.unlock(), LockNotHeldError);
});

test('withLock nests', () => {
  const mutex = new RecursiveMutex();
  const depth = mutex.withLock(() => mutex.withLock(() => mutex.depth));
  assert.equal(depth, 2);
  assert.equal(mutex.depth, 0);
});
