/** Event: set wakes waiters in other threads, clear, isSet, timeouts return false, async waits and abort. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Event } from '../src/index.js';
import { call, startAgent, withWorkers, WITHIN_MS } from './harness.js';

test('set in one thread wakes waiters in others; clear lowers the flag', async () => {
  const event = new Event({ name: 'go' });
  assert.equal(event.isSet(), false);
  await withWorkers(async (start) => {
    const agents = await Promise.all([0, 1].map(() => startAgent(start, { e: event.handle })));
    for (const agent of agents) agent.post({ target: 'e', method: 'wait', args: [{ timeout: WITHIN_MS }] });
    const here = event.waitAsync({ timeout: WITHIN_MS });
    event.set();
    assert.equal(await here, true);
    for (const agent of agents) assert.equal((await agent.next<{ value: unknown }>()).value, true);
    assert.equal(event.isSet(), true);
    assert.equal(event.wait(), true, 'a set event returns at once');
    event.clear();
    assert.equal(event.isSet(), false);
    // Now the other way: this thread waits, blocked, for a worker's set() (the agent runs it asynchronously to us).
    agents[0]!.post({ target: 'e', method: 'set' });
    assert.equal(event.wait({ timeout: WITHIN_MS }), true);
    await agents[0]!.next();
  });
});

test('a wait that times out returns false within generous bounds; abort rejects', async () => {
  const event = new Event();
  let began = performance.now();
  assert.equal(event.wait({ timeout: 40 }), false);
  let waited = performance.now() - began;
  assert.ok(waited >= 35 && waited < 5_000, `returned after ${waited} ms`);
  began = performance.now();
  assert.equal(await event.waitAsync({ timeout: 40 }), false);
  waited = performance.now() - began;
  assert.ok(waited >= 35 && waited < 5_000, `resolved after ${waited} ms`);
  const controller = new AbortController();
  const pending = event.waitAsync({ signal: controller.signal });
  controller.abort(new Error('no longer'));
  await assert.rejects(pending, /no longer/);
});

test('a waiter woken by set() returns true even if clear() follows at once', async () => {
  const event = new Event();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { e: event.handle });
    const waiting = event.waitAsync();
    assert.equal((await call(agent, 'e', 'set')).ok, true);
    event.clear();
    assert.equal(await waiting, true);
  });
});
