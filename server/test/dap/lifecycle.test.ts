/**
 * deadbolt-dap around the deadlock: a program that ends on its own, one that uses every primitive, a worker that
 * dies holding a lock, and launches that cannot start.
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
