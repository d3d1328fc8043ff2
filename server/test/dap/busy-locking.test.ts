/**
 * deadbolt-dap on a correct program that locks hard: four workers contend for one Mutex tens of thousands of times.
 * Every release must reach the held-lock tables, so there is no stop, no lock reported abandoned at a worker's exit,
 * and the final live graph shows the lock free. This failed on Node 20.11, where lock ids exceed 32 bits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveLockGraph } from '../../src/protocol/index.js';
import { fixtureProgram, startSession } from './harness.js';

test('busy, correct locking: no false deadlock, no stale holds, the lock ends free', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('ledger-tellers') });
    const exited = await s.waitFor('exited');
    await s.waitFor('terminated');
    assert.equal(exited.body.exitCode, 0, s.output());
    assert.match(s.output('stdout'), /balance 80000/);
    const stops = s.events.filter((e) => e.event === 'stopped').map((e) => e.body.description as string);
    assert.deepEqual(stops, [], 'no stop on a program that never deadlocks');
    assert.doesNotMatch(s.output('important'), /while holding/, 'no worker exits holding the ledger');
    const graphs = s.events.filter((e) => e.event === 'deadbolt/lockGraph').map((e) => e.body as LiveLockGraph);
    const last = graphs.at(-1)!;
    const ledger = last.locks.find((l) => /ledger/.test(l.name));
    assert.ok(ledger, `the ledger is in the final graph: ${JSON.stringify(last.locks)}`);
    assert.deepEqual(ledger.holders, [], 'nobody holds the ledger once every teller is done');
    assert.ok(graphs.every((g) => !g.deadlock), 'the live graph never reports a deadlock');
  } finally {
    await s.close();
  }
});
