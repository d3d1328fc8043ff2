/**
 * deadbolt-dap around the deadlock: a program that ends on its own, a worker that dies holding a lock, a launch
 * that cannot start, a long wait, and continuing from a deadlock stop.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureProgram, fixtureSource, startSession } from './harness.js';

test('a program that finishes: its output, then exited (code 0) and terminated, and no stop', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('finishes') });
    const exited = await s.waitFor('exited');
    assert.equal(exited.body.exitCode, 0);
    await s.waitFor('terminated');
    assert.match(s.output('stdout'), /total 4000/);
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 0);
    const started = s.events.filter((e) => e.event === 'thread' && e.body.reason === 'started').length;
    assert.ok(started >= 2, `both workers were announced as threads (saw ${started})`);
  } finally {
    await s.close();
  }
});

test('a program using every primitive runs to its end under tracing, with its locks in the live graph', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('every-primitive') });
    const exited = await s.waitFor('exited');
    assert.equal(exited.body.exitCode, 0, s.output());
    assert.match(s.output('stdout'), /pipeline done 1275/);
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 0);
    const kinds = new Set(s.events.filter((e) => e.event === 'deadbolt/lockGraph').flatMap((e) => (e.body.locks as { kind: string }[]).map((l) => l.kind)));
    for (const kind of ['Mutex', 'RecursiveMutex', 'Semaphore', 'Condition', 'Event', 'Barrier']) assert.ok(kinds.has(kind), `${kind} in ${[...kinds].join(', ')}`);
  } finally {
    await s.close();
  }
});

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

test('a worker that throws while holding a lock is reported with the lock and where it was taken', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('worker-throws') });
    const report = await s.waitFor('output', (e) => e.body.category === 'important' && /while holding/.test(e.body.output));
    assert.match(report.body.output, /Worker 'crasher'/);
    assert.match(report.body.output, /journalLock \(taken at .*worker-throws\.ts:\d+\)/);
    await s.waitFor('terminated');
    assert.match(s.output('stdout'), /worker failed: disk full/);
  } finally {
    await s.close();
  }
});

test('a missing program fails the launch with a message naming it', async () => {
  const s = await startSession();
  try {
    const missing = fixtureProgram('no-such-program');
    await assert.rejects(s.client.launch({ program: missing }), (error: Error) => {
      assert.match(error.message, /does not exist/);
      assert.ok(error.message.includes(missing), error.message);
      return true;
    });
  } finally {
    await s.close();
  }
});

test('a launch without a program, or with a file of another kind, is refused clearly', async () => {
  const s = await startSession();
  try {
    await assert.rejects(s.client.launch({}), /needs 'program'/);
    await assert.rejects(s.client.launch({ program: fixtureSource('../tsconfig').replace(/\.ts$/, '.json') }), /must be a \.js, \.mjs, \.cjs or \.ts file/);
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
