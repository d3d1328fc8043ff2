/**
 * Issue 28, with real workers: a thread that dies holding a lock, permits or a place at a barrier is always seen.
 * Each scenario of death-scenarios.ts runs DEADBOLT_DEATH_TRIALS trials here (3 by default; `npm run stress -w
 * runtime` runs 100), and every trial must end with zero wedged locks. Then the cases a trial cannot show: a parent
 * that cannot run its event loop, the thread table after many threads, aborts that wake nobody, and the queue's
 * calls that do not wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mutex, OwnerDiedError, SharedQueue, TimeoutError } from '../src/index.js';
import { entriesInUse } from '../src/thread-table.js';
import { churnThreads, runTrials, scenarios, Stage } from './death-scenarios.js';

const TRIALS = Number(process.env['DEADBOLT_DEATH_TRIALS'] ?? 3);
const runtime = new URL('../src/index.js', import.meta.url).href;
const stage = new Stage(await import(runtime), runtime);

test.after(() => stage.close());

for (const scenario of scenarios) {
  test(`${scenario.name}: ${TRIALS} trials, none wedged`, async () => {
    const tally = await runTrials(stage, scenario, TRIALS);
    assert.deepEqual(tally.failures, [], `${tally.wedged} wedged and ${tally.wrong} wrong of ${TRIALS}`);
  });
}

test('a parent blocked in lock() while its own worker dies holding the lock still recovers it (probe fallback)', async () => {
  const m = new Mutex({ name: 'parent-blocked' });
  const holder = await stage.spawn();
  holder.post({ op: 'hold', what: 'mutex', handle: m.handle, then: { kind: 'crash-after', ms: 300, how: 'throw' } });
  await holder.next('holding', 'holder');
  // This thread is the worker's parent and stays blocked: the worker's 'exit' cannot be delivered until it returns.
  const start = performance.now();
  assert.throws(() => m.lock({ timeout: 20_000 }), (e: Error) => e instanceof OwnerDiedError && /died holding Mutex 'parent-blocked'/.test(e.message));
  const ms = performance.now() - start;
  assert.ok(ms < 15_000, `found after ${ms.toFixed(0)} ms`);
  m.markConsistent();
  m.unlock();
  await holder.gone('holder that crashed');
});

test("a parent blocked in its own Atomics.wait cannot hear its worker exit; another worker waiting for the lock probes and recovers it", async () => {
  const m = new Mutex({ name: 'orphaned' });
  const holder = await stage.spawn();
  holder.post({ op: 'hold', what: 'mutex', handle: m.handle, then: { kind: 'crash-after', ms: 300, how: 'exit' } });
  await holder.next('holding', 'holder');
  const ended = new SharedArrayBuffer(4);
  const waiting = await stage.wait(0, { op: 'wait', what: 'mutex', handle: m.handle, async: false, timeout: 20_000, ended });
  // Blocked outside the runtime, as a program's own Atomics.wait would be, until the waiter is through.
  const start = performance.now();
  const woke = Atomics.wait(new Int32Array(ended), 0, 0, 25_000);
  const ms = performance.now() - start;
  assert.equal(woke, 'ok', `the waiter did not get the lock within 25 s`);
  assert.equal((await waiting.report).outcome, 'owner-died');
  assert.ok(ms < 15_000, `found after ${ms.toFixed(0)} ms`);
  await holder.gone('holder that exited');
});

test('threads that load the runtime and exit free their table entries; a death is still seen afterwards', async () => {
  const before = entriesInUse();
  await churnThreads(runtime, 64, 4);
  // Exits are reported on this thread's event loop: give it the turns it needs, with a bound.
  for (const deadline = performance.now() + 10_000; entriesInUse() > before && performance.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
  assert.ok(entriesInUse() <= before, `${entriesInUse()} entries in use after 64 threads exited, ${before} before`);
  const tally = await runTrials(stage, scenarios[0]!, 1);
  assert.deepEqual(tally.failures, []);
});

test('an aborted lockAsync wakes nobody and leaves at most one gate waiter behind per thread', async () => {
  const m = new Mutex({ name: 'busy' });
  const holder = await stage.spawn();
  holder.post({ op: 'hold', what: 'mutex', handle: m.handle, then: { kind: 'idle' } });
  await holder.next('holding', 'holder');
  const blocked = await stage.wait(0, { op: 'wait', what: 'mutex', handle: m.handle, async: false, timeout: 30_000 });
  const notify = Atomics.notify;
  const woken: number[] = [];
  Atomics.notify = ((array: Int32Array, index: number, count?: number) => {
    woken.push(index);
    return notify(array, index, count);
  }) as typeof Atomics.notify;
  try {
    for (let i = 0; i < 200; i++) {
      const controller = new AbortController();
      const pending = m.lockAsync({ signal: controller.signal }).catch((e: unknown) => e);
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      assert.equal(await pending, controller.signal.reason);
    }
  } finally {
    Atomics.notify = notify;
  }
  assert.deepEqual(woken, [], 'no notify at all: the blocked waiter and other gates slept through the aborts');
  const word = new Int32Array(m.handle.buffer);
  assert.ok(notify(word, 2) <= 1, 'this thread left at most its one gate waiter on the gate slot');
  await holder.kill();
  assert.equal((await blocked.report).outcome, 'owner-died');
});

test("SharedQueue.tryGet()/tryPut() on a queue whose lock is held by a stuck thread give up within a second; after it dies they work", async () => {
  const q = new SharedQueue<number>({ capacity: 2, name: 'jobs' });
  const holder = await stage.spawn();
  holder.post({ op: 'queue-hold', handle: q.handle, torn: false, then: 'block' });
  await holder.next('holding', 'holder');
  const start = performance.now();
  assert.throws(() => q.tryGet(), (e: Error) => e instanceof TimeoutError && /SharedQueue 'jobs': tryGet\(\) could not take the queue's lock within 1000 ms \(held by worker \d+\)/.test(e.message));
  assert.throws(() => q.tryPut(1), TimeoutError);
  assert.ok(performance.now() - start < 10_000);
  await holder.kill();
  assert.equal(q.tryPut(1), true, 'the dead holder left the queue sound: it carries on');
  assert.equal(q.tryGet(), 1);
});
