/**
 * Issue 16.2 for Semaphore, with real workers: a thread that dies inside withPermit or withPermitAsync
 * (terminated, crashing or calling process.exit) does not keep its permits: once its death is reported (its
 * Worker's 'exit'), they come back, exactly as many as the dead thread held, and once however many threads find it.
 * A permit taken with plain acquire() is unowned and stays taken, as does one the full holder table did not record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Semaphore, TimeoutError } from '../src/index.js';
import { SEMAPHORE_HOLDER_TABLE } from '../src/semaphore.js';
import { expectEvent, withWorkers, WITHIN_MS, type TestWorker } from './harness.js';
import { G_DIE, G_OPEN, GATE_BYTES, type PermitCommand, type PermitData } from './workers/permits.js';

/**
 * How long a negative check waits for a permit that must not come: several recheck intervals (100 ms), each
 * of which asks about every recorded holder. A bound on what is observed, not a sleep the test relies on.
 */
const NEVER_MS = 350;

interface Fixture {
  s: Semaphore;
  data: PermitData;
  /** Lets every worker blocked on the gate return from its scoped call. */
  open(): void;
  /** Tells holders that are to crash or exit to do it. */
  die(): void;
}

function fixture(permits: number): Fixture {
  const s = new Semaphore(permits, { name: 'pool' });
  const gate = new SharedArrayBuffer(GATE_BYTES);
  const signal = (slot: number) => (): void => {
    const word = new Int32Array(gate);
    Atomics.store(word, slot, 1);
    Atomics.notify(word, slot);
  };
  return { s, data: { s: s.handle, gate }, open: signal(G_OPEN), die: signal(G_DIE) };
}

/** Has `worker` take its permits as `command` says, then ends its thread that way and waits until it is gone. */
async function holdAndDie(f: Fixture, worker: TestWorker, command: PermitCommand & { op: 'hold' }): Promise<void> {
  await expectEvent(worker, 'ready', 'holder');
  worker.post(command);
  await expectEvent(worker, 'holding', 'holder');
  if (command.then === 'block') await worker.worker.terminate();
  else f.die();
  await worker.exited(`holder told to ${command.then} inside ${command.via}`);
}

/** Exactly `n` permits are free: `n` tryAcquire calls succeed and the next fails. All are returned afterwards. */
function assertFree(s: Semaphore, n: number): void {
  assert.equal(s.available, n);
  for (let i = 0; i < n; i++) assert.equal(s.tryAcquire(), true, `permit ${i + 1} of ${n}`);
  assert.equal(s.tryAcquire(), false, `no permit beyond ${n}`);
  for (let i = 0; i < n; i++) s.release();
}

test('Semaphore: a worker terminated inside withPermit; a blocking acquire() gets its permit back', async () => {
  const f = fixture(1);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermit', then: 'block' });
    // Its 'exit' has been reported on this thread by now, which gave the permit back; a blocking acquire takes it.
    f.s.acquire({ timeout: WITHIN_MS }); // TimeoutError if the permit never comes back
    assertFree(f.s, 0);
    f.s.release();
    assertFree(f.s, 1);
  });
});

test('Semaphore: a worker crashing inside withPermitAsync; acquireAsync() gets its permit back', async () => {
  const f = fixture(1);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermitAsync', then: 'throw' });
    await f.s.acquireAsync({ timeout: WITHIN_MS }); // rejects with TimeoutError if the permit never comes back
    assertFree(f.s, 0);
    f.s.release();
    assertFree(f.s, 1);
  });
});

test('Semaphore: a worker calling process.exit inside withPermit; withPermitAsync() gets its permit back', async () => {
  const f = fixture(1);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermit', then: 'exit' });
    const inside = await f.s.withPermitAsync(() => f.s.available, { timeout: WITHIN_MS });
    assert.equal(inside, 0);
    assertFree(f.s, 1);
  });
});

test('Semaphore: a worker terminated two withPermitAsync calls deep; both its permits come back, no more', async () => {
  const f = fixture(3);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermitAsync', depth: 2, then: 'block' });
    assert.equal(f.s.tryAcquire(), true, 'the one permit the worker did not take');
    f.s.acquire({ timeout: WITHIN_MS });
    assertFree(f.s, 1);
    f.s.release();
    f.s.release();
    assertFree(f.s, 3);
  });
});

test("Semaphore: of two holders, only the dead one's permit comes back; the live one keeps its own", async () => {
  const f = fixture(2);
  await withWorkers(async (start) => {
    const live = start('permits', f.data);
    await expectEvent(live, 'ready', 'live holder');
    live.post({ op: 'hold', via: 'withPermit', then: 'block' } satisfies PermitCommand);
    await expectEvent(live, 'holding', 'live holder');
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermit', then: 'block' });
    f.s.acquire({ timeout: WITHIN_MS });
    assert.equal(f.s.available, 0);
    // Every recheck asks about the live holder too: it must keep its permit through all of them.
    assert.throws(() => f.s.acquire({ timeout: NEVER_MS }), TimeoutError);
    f.open();
    await expectEvent(live, 'released', 'live holder');
    assertFree(f.s, 1);
    f.s.release();
    assertFree(f.s, 2);
  });
});

test('Semaphore: a permit taken with plain acquire() by a worker that dies is not recovered (unowned)', async () => {
  const f = fixture(1);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'acquire', then: 'block' });
    assert.throws(() => f.s.acquire({ timeout: NEVER_MS }), TimeoutError);
    await assert.rejects(f.s.acquireAsync({ timeout: NEVER_MS }), TimeoutError);
    assertFree(f.s, 0);
  });
});

test('Semaphore: several waiters find the same dead holder; its permit comes back once', async () => {
  const f = fixture(1);
  await withWorkers(async (start) => {
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermit', then: 'block' });
    const waiters = [start('permits', f.data), start('permits', f.data)];
    await Promise.all(waiters.map((w) => expectEvent(w, 'ready', 'waiter')));
    for (const w of waiters) w.post({ op: 'wait' } satisfies PermitCommand);
    const acquired = waiters.map((w, i) => expectEvent(w, 'acquired', `waiter ${i}`).then((message) => ({ i, message })));
    const first = await Promise.race(acquired);
    assert.equal(first.message['gateOpen'], false);
    assert.equal(f.s.available, 0);
    // This thread waits too (a third recoverer) while the second worker keeps rechecking: nothing more comes back.
    assert.throws(() => f.s.acquire({ timeout: NEVER_MS }), TimeoutError);
    f.open();
    const second = await acquired[1 - first.i]!;
    assert.equal(second.message['gateOpen'], true, 'the second waiter got the permit only after the first returned it');
    await Promise.all(waiters.map((w, i) => expectEvent(w, 'released', `waiter ${i}`)));
    assertFree(f.s, 1);
  });
});

test('Semaphore: with the holder table full, withPermit still works but a holder that dies is not recovered', async () => {
  const f = fixture(2);
  const word = new Int32Array(f.s.handle.buffer);
  const { start: first, rows, rowSlots, owner } = SEMAPHORE_HOLDER_TABLE;
  // A token no thread has: the liveness table does not know it, so it answers "alive" and the rows stay taken.
  const stranger = 0x7ff00000;
  for (let r = 0; r < rows; r++) word[first + r * rowSlots + owner] = stranger;
  await withWorkers(async (start) => {
    assert.equal(f.s.withPermit(() => f.s.available), 1, 'withPermit works unrecorded');
    assert.equal(f.s.available, 2);
    await holdAndDie(f, start('permits', f.data), { op: 'hold', via: 'withPermit', then: 'block' });
    assert.equal(f.s.tryAcquire(), true);
    assert.throws(() => f.s.acquire({ timeout: NEVER_MS }), TimeoutError);
    // Not merely hidden behind the strangers' rows: with the table emptied, the permit still does not come back.
    for (let r = 0; r < rows; r++) word[first + r * rowSlots + owner] = 0;
    assert.throws(() => f.s.acquire({ timeout: NEVER_MS }), TimeoutError);
    f.s.release();
    assertFree(f.s, 1);
  });
});
