/** Barrier: arrival indices, reuse over rounds, and breaking by timeout (every waiter errs until reset). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Barrier, BrokenBarrierError, TimeoutError } from '../src/index.js';
import { startAgent, withWorkers, WITHIN_MS, type TestWorker } from './harness.js';

async function ask(agent: TestWorker, method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: unknown; error?: { name: string } }> {
  agent.post({ target: 'b', method, args });
  return agent.next();
}

test('4 parties over 5 rounds: each round yields the indices 0..3 once', async () => {
  const barrier = new Barrier(4, { name: 'rounds' });
  await withWorkers(async (start) => {
    const agents = await Promise.all([0, 1, 2].map(() => startAgent(start, { b: barrier.handle })));
    for (let round = 0; round < 5; round++) {
      const theirs = agents.map((agent) => ask(agent, 'wait', { timeout: WITHIN_MS }));
      const mine = await barrier.waitAsync({ timeout: WITHIN_MS });
      const indices = [mine, ...(await Promise.all(theirs)).map((r) => r.value as number)];
      assert.deepEqual(indices.sort(), [0, 1, 2, 3], `round ${round}`);
    }
  });
});

test('a timeout breaks the barrier for every waiter until reset()', async () => {
  const barrier = new Barrier(3);
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { b: barrier.handle });
    // The worker waits with no timeout; this thread times out, which breaks the barrier and wakes the worker.
    const theirs = ask(agent, 'wait');
    const began = performance.now();
    await assert.rejects(barrier.waitAsync({ timeout: 60 }), TimeoutError);
    const waited = performance.now() - began;
    assert.ok(waited >= 55 && waited < 5_000, `timed out after ${waited} ms`);
    assert.equal((await theirs).error?.name, 'BrokenBarrierError');
    assert.equal(barrier.broken, true);
    assert.throws(() => barrier.wait(), BrokenBarrierError);
    assert.equal((await ask(agent, 'wait')).error?.name, 'BrokenBarrierError');

    barrier.reset();
    assert.equal(barrier.broken, false);
    const theirsAgain = ask(agent, 'wait', { timeout: WITHIN_MS });
    const mine = await Promise.all([barrier.waitAsync({ timeout: WITHIN_MS }), barrier.waitAsync({ timeout: WITHIN_MS })]);
    const indices = [...mine, (await theirsAgain).value as number];
    assert.deepEqual(indices.sort(), [0, 1, 2]);
  });
});

test('reset() while parties wait breaks their generation', async () => {
  const barrier = new Barrier(2);
  const waiting = barrier.waitAsync();
  barrier.reset();
  await assert.rejects(waiting, BrokenBarrierError);
  const pair = [barrier.waitAsync(), barrier.waitAsync()];
  assert.deepEqual((await Promise.all(pair)).sort(), [0, 1]);
});

test('aborting an async barrier wait breaks the barrier for the others', async () => {
  const barrier = new Barrier(3);
  const controller = new AbortController();
  const other = barrier.waitAsync();
  const leaving = barrier.waitAsync({ signal: controller.signal });
  controller.abort(new Error('left'));
  await assert.rejects(leaving, /left/);
  await assert.rejects(other, BrokenBarrierError);
  assert.equal(barrier.broken, true);
});

test('parties must be an integer from 1', () => {
  assert.throws(() => new Barrier(0), RangeError);
  assert.equal(new Barrier(1).wait(), 0);
});
