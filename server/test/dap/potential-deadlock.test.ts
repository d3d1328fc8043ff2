/**
 * Potential deadlocks from the trace, as lockdep finds them: two tellers take the same two locks in opposite orders.
 * One at a time they never deadlock, yet the run reports the cycle at once (an output with both acquisition stacks,
 * the cycle in the live graph, a stop when asked for); started together they deadlock in some runs and not in
 * others, and every run reports the hazard. `npm run bench -w server` counts it over 20 such runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveLockGraph } from '../../src/protocol/index.js';
import { fixtureProgram, fixtureSource, markerLine, type Session, startSession } from './harness.js';

const HAZARD = /^Potential deadlock: (savings -> checking -> savings|checking -> savings -> checking) /;

/** The output event that reports the potential deadlock. */
function hazardOutput(s: Session): Promise<{ body: { output: string; category: string } }> {
  return s.waitFor('output', (e) => HAZARD.test(e.body.output)) as Promise<{ body: { output: string; category: string } }>;
}

test('one teller at a time: no deadlock, but the lock-order cycle is reported with both acquisition stacks', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('tellers'), args: ['one-at-a-time'] });
    const output = await hazardOutput(s);
    assert.equal(output.body.category, 'important');
    const source = fixtureSource('tellers');
    const report = output.body.output;
    // Each order in checked mode's words, then the stack that took each lock, pointing at the .ts lines.
    assert.match(report, /teller-2 took savings at .* while holding checking \(taken at /);
    assert.match(report, /teller-1 took checking at .* while holding savings \(taken at /);
    assert.equal(report.split(`${source}:${markerLine('tellers', 'taken')}:`).length - 1, 2 * 2, 'each taking site: in the step line and in its stack');
    assert.equal(report.split(`${source}:${markerLine('tellers', 'held')}:`).length - 1, 2 * 2, 'each held site: in the step line and in its stack');
    await s.waitFor('terminated');
    assert.match(s.output('stdout'), /balances 1000 1000/);
    assert.equal(s.events.filter((e) => e.event === 'stopped').length, 0, 'stopOnPotentialDeadlock is off by default');
    const graphs = s.events.filter((e) => e.event === 'deadbolt/lockGraph').map((e) => e.body as LiveLockGraph);
    const last = graphs.at(-1)!;
    assert.equal(last.deadlock, false);
    assert.equal(last.potentialDeadlocks?.length, 1);
    const found = last.potentialDeadlocks![0]!;
    const names = new Map(last.locks.map((l) => [l.id, l.name]));
    assert.deepEqual(found.locks.map((l) => names.get(l)).sort(), ['checking', 'savings']);
    assert.deepEqual(found.steps.map((step) => step.thread).sort(), ['teller-1', 'teller-2']);
    for (const step of found.steps) {
      assert.equal(step.takenAt[0]!.location.range.start.line + 1, markerLine('tellers', 'taken'));
      assert.equal(step.heldAt[0]!.location.range.start.line + 1, markerLine('tellers', 'held'));
    }
  } finally {
    await s.close();
  }
});

test('stopOnPotentialDeadlock: the session stops on the thread that closed the cycle, and continues', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('tellers'), args: ['one-at-a-time'], stopOnPotentialDeadlock: true });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'potential deadlock');
    assert.match(stopped.body.description, HAZARD);
    const threads = (await s.client.threadsRequest()).body.threads;
    assert.equal(threads.find((t) => t.id === stopped.body.threadId)?.name, 'teller-2', 'the second teller closed the cycle');
    await s.client.continueRequest({ threadId: stopped.body.threadId });
    await s.waitFor('terminated');
    assert.match(s.output('stdout'), /balances 1000 1000/);
  } finally {
    await s.close();
  }
});

test('started together, every run reports the hazard, whether it deadlocks or finishes', async () => {
  for (let run = 0; run < 3; run++) {
    const s = await startSession();
    try {
      await s.client.launch({ program: fixtureProgram('tellers') });
      await hazardOutput(s);
      const end = await Promise.race([s.waitFor('stopped', (e) => e.body.reason === 'deadlock'), s.waitFor('terminated')]);
      if (end.event === 'stopped') {
        await s.client.terminateRequest();
        await s.waitFor('terminated');
      }
    } finally {
      await s.close();
    }
  }
});
