/**
 * deadbolt-dap on programs that deadlock: the stop, its description, the stacks that show where each thread holds
 * and waits, the lock variables and the live graph event, for workers, for five philosophers and for TypeScript
 * run from source with a blocked main thread.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveLockGraph } from '../../src/protocol/index.js';
import { fixtureProgram, fixtureSource, markerLine, startSession, stackOf } from './harness.js';

test('opposite lock order: stops on the deadlock with both threads\' hold and wait lines', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('opposite-order') });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock');
    assert.equal(stopped.body.allThreadsStopped, true);
    for (const word of ['lockA', 'lockB', 'transfer-ab', 'transfer-ba']) assert.match(stopped.body.description, new RegExp(word));

    const source = fixtureSource('opposite-order');
    const hold = markerLine('opposite-order', 'hold');
    const wait = markerLine('opposite-order', 'wait');
    for (const [thread, waited, held] of [['transfer-ab', 'lockB', 'lockA'], ['transfer-ba', 'lockA', 'lockB']] as const) {
      const { id, rows } = await stackOf(s.client, thread);
      assert.deepEqual(rows[0]!.slice(1), [source, wait], `${thread} waits at the @wait line`);
      assert.match(rows[0]![0], new RegExp(`waits for ${waited}`));
      assert.ok(rows.some(([name, path, line]) => name === `holds ${held}` && path === source && line === hold), `${thread} holds ${held} at the @hold line: ${JSON.stringify(rows)}`);

      const scopes = await s.client.scopesRequest({ frameId: id });
      const waiting = scopes.body.scopes.find((sc) => sc.name === 'Waiting for')!;
      const vars = (await s.client.variablesRequest({ variablesReference: waiting.variablesReference })).body.variables;
      assert.equal(vars.find((v) => v.name === 'lock')?.value, waited);
      assert.match(vars.find((v) => v.name === 'held by')!.value, thread === 'transfer-ab' ? /transfer-ba/ : /transfer-ab/);
    }

    const graph = (await s.waitFor('deadbolt/lockGraph', (e) => (e.body as LiveLockGraph).deadlock)).body as LiveLockGraph;
    assert.equal(graph.cycles.length, 1);
    assert.deepEqual(graph.cycles[0]!.locks.map((id) => graph.locks.find((l) => l.id === id)!.name).sort(), ['lockA', 'lockB']);

    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});

test('dining philosophers: one stop naming the five-thread cycle', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('philosophers') });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock');
    for (let i = 0; i < 5; i++) assert.match(stopped.body.description, new RegExp(`philosopher-${i} holds fork${i} and waits for fork${(i + 1) % 5}`));
    const threads = (await s.client.threadsRequest()).body.threads.map((t) => t.name);
    assert.deepEqual(threads.filter((n) => n.startsWith('philosopher')).sort(), [0, 1, 2, 3, 4].map((i) => `philosopher-${i}`));
    const { rows } = await stackOf(s.client, 'philosopher-3');
    assert.equal(rows[0]![2], markerLine('philosophers', 'wait'));
    assert.ok(rows.some(([name, , line]) => name === 'holds fork3' && line === markerLine('philosophers', 'hold')));
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 1);
  } finally {
    await s.close();
  }
});

test('TypeScript from source: frames point at the .ts lines, even for a blocked main thread', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureSource('ts-deadlock') });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock');
    const source = fixtureSource('ts-deadlock');
    for (const thread of ['main', 'mover']) {
      const { rows } = await stackOf(s.client, thread);
      assert.deepEqual(rows[0]!.slice(1), [source, markerLine('ts-deadlock', 'wait')], `${thread}: ${JSON.stringify(rows)}`);
      assert.ok(rows.some(([name, path, line]) => name.startsWith('holds ') && path === source && line === markerLine('ts-deadlock', 'hold')));
    }
  } finally {
    await s.close();
  }
});
