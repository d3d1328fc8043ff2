/** Lock ids are unique across all threads of the process (one shared counter reaches every worker). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mutex } from '../src/index.js';
import { call, startAgent, withWorkers } from './harness.js';

test('ids made concurrently in 3 workers and here never collide', async () => {
  const mine = Array.from({ length: 500 }, () => new Mutex().id);
  const theirs = await withWorkers(async (start) => {
    const agents = await Promise.all([0, 1, 2].map(() => startAgent(start, {})));
    const replies = await Promise.all(agents.map((agent) => call(agent, 'thread', 'newIds', 2_000)));
    return replies.flatMap((reply) => reply.value as number[]);
  });
  const all = [...mine, ...theirs];
  assert.equal(all.length, 500 + 3 * 2_000);
  assert.equal(new Set(all).size, all.length);
  // They come from one counter: all small, which shows the workers inherited it rather than a fallback space.
  assert.ok(all.every((id) => id > 0 && id < 2 ** 32));
});
