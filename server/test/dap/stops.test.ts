/**
 * deadbolt-dap's stop policy: a stop on a long wait, continuing from a deadlock stop (and pausing), and
 * stopOnDeadlock false, where the live graph still reports the cycle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureProgram, startSession } from './harness.js';

test('stopOnDeadlock false: no stop, but the live graph reports the deadlock and its cycle', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('opposite-order'), stopOnDeadlock: false });
    const graph = await s.waitFor('deadbolt/lockGraph', (e) => e.body.deadlock === true);
    assert.equal(graph.body.cycles.length, 1);
    assert.match(graph.body.cycles[0].description, /transfer-ab holds lockA and waits for lockB/);
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 0);
    await s.client.terminateRequest();
    await s.waitFor('terminated');
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 0);
  } finally {
    await s.close();
  }
});

test('stopOnLongWait stops on a wait that lasts too long, naming the lock and its holder', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('long-wait'), stopOnLongWait: 300 });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'long wait');
    assert.match(stopped.body.description, /auditor has waited [\d.]+ s for ledgerLock, held by main/);
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});

test('continue after a deadlock stop: told it is still deadlocked, no second stop, terminate ends it', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('opposite-order') });
    await s.waitFor('stopped');
    await s.client.continueRequest({ threadId: 1 });
    await s.waitFor('output', (e) => /still deadlocked/.test(e.body.output));
    // The collector keeps sending heartbeats while the cycle stands; one more graph event proves the adapter saw them.
    const graphsBefore = s.events.filter((e) => e.event === 'deadbolt/lockGraph').length;
    await s.client.pauseRequest({ threadId: 1 });
    await s.waitFor('stopped', (e) => e.body.reason === 'pause');
    const graph = await s.waitFor('deadbolt/lockGraph', (e) => s.events.filter((x) => x.event === 'deadbolt/lockGraph').indexOf(e) >= graphsBefore);
    assert.equal(graph.body.threads.filter((t: { state: string }) => t.state === 'waiting').length, 2, 'both transfers still wait');
    assert.equal(s.events.filter((e) => e.event === 'stopped' && e.body.reason === 'deadlock').length, 1);
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});
