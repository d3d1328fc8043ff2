/** Semaphore: the bound is never exceeded under 6 workers; timeouts, try, async, abort and release from another thread. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Barrier, Semaphore, TimeoutError } from '../src/index.js';
import { call, startAgent, withWorkers, WITHIN_MS } from './harness.js';

test('6 workers never hold more than 2 permits at once, and do reach 2', async () => {
  const PERMITS = 2;
  const WORKERS = 6;
  const semaphore = new Semaphore(PERMITS, { name: 'pool' });
  const gauge = new SharedArrayBuffer(8);
  const startLine = new Barrier(WORKERS).handle;
  // Two workers meet at this barrier while each holds a permit: that can only finish if both are held at once.
  const rendezvous = new Barrier(2).handle;
  await withWorkers(async (start) => {
    const workers = Array.from({ length: WORKERS }, (_, i) =>
      start('gauge', { semaphore: semaphore.handle, gauge, iterations: 5_000, start: startLine, rendezvous: i < 2 ? rendezvous : undefined }),
    );
    await Promise.all(workers.map((w) => w.next()));
  });
  const [now, max] = new Int32Array(gauge);
  assert.equal(now, 0);
  assert.equal(max, PERMITS);
  assert.equal(semaphore.available, PERMITS);
});

test('tryAcquire, acquire with timeout, and release by another thread', async () => {
  const semaphore = new Semaphore(1);
  assert.equal(semaphore.tryAcquire(), true);
  assert.equal(semaphore.tryAcquire(), false);
  const began = performance.now();
  assert.throws(() => semaphore.acquire({ timeout: 40 }), TimeoutError);
  const waited = performance.now() - began;
  assert.ok(waited >= 35 && waited < 5_000, `timed out after ${waited} ms`);
  await assert.rejects(semaphore.acquireAsync({ timeout: 20 }), TimeoutError);
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { s: semaphore.handle });
    const pending = semaphore.acquireAsync();
    assert.equal((await call(agent, 's', 'release')).ok, true);
    await pending;
    assert.equal(semaphore.available, 0);
    // And the other way round: a worker blocked in acquire() wakes when this thread releases.
    agent.post({ target: 's', method: 'acquire', args: [{ timeout: WITHIN_MS }] });
    semaphore.release();
    assert.deepEqual(await agent.next(), { ok: true, value: undefined, tag: undefined });
  });
});

test('an aborted acquireAsync rejects with the reason and takes no permit', async () => {
  const semaphore = new Semaphore(0);
  const controller = new AbortController();
  const pending = semaphore.acquireAsync({ signal: controller.signal });
  controller.abort(new Error('cancelled'));
  await assert.rejects(pending, /cancelled/);
  semaphore.release();
  assert.equal(semaphore.available, 1);
  assert.equal(await semaphore.withPermitAsync(async () => semaphore.available), 0);
  assert.equal(semaphore.withPermit(() => semaphore.available), 0);
  assert.equal(semaphore.available, 1);
});

test('bad permit counts are rejected', () => {
  assert.throws(() => new Semaphore(-1), RangeError);
  assert.throws(() => new Semaphore(1.5), RangeError);
});
