/**
 * Issue 16.2, with real workers: a worker that is terminated, crashes or exits while holding a Mutex,
 * RecursiveMutex or a SharedQueue's internal lock does not leave it held forever. As with pthread's robust
 * mutexes (EOWNERDEAD), the next locker gets OwnerDiedError with the lock taken; markConsistent() ends the
 * recovery, and a release without it passes OwnerDiedError on to the next locker. A Barrier whose party died
 * breaks, naming it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Barrier, BrokenBarrierError, Condition, Mutex, OwnerDiedError, RecursiveMutex, Semaphore, SharedQueue } from '../src/index.js';
import { expectEvent, withDeadline, withWorkers, WITHIN_MS, type TestWorker } from './harness.js';
import type { FaultHandles } from './workers/faults.js';

interface Fixture {
  handles: FaultHandles;
  m: Mutex;
  r: RecursiveMutex;
  q: SharedQueue<number>;
}

function fixture(): Fixture {
  const m = new Mutex({ name: 'jobs' });
  const r = new RecursiveMutex({ name: 'tree' });
  const s = new Semaphore(0);
  const c = new Condition(m);
  const q = new SharedQueue<number>({ capacity: 4, name: 'work' });
  return { handles: { m: m.handle, r: r.handle, s: s.handle, c: c.handle, q: q.handle, gate: new SharedArrayBuffer(4) }, m, r, q };
}

async function holdAndDie(worker: TestWorker, kind: 'mutex' | 'recursive' | 'queue-lock' | 'queue-torn', die: 'throw' | 'block' | 'exit'): Promise<void> {
  await expectEvent(worker, 'ready', 'holder');
  worker.post({ op: 'hold', kind, die });
  await expectEvent(worker, 'holding', 'holder');
  if (die === 'block') await worker.worker.terminate();
  await worker.exited(`holder of the ${kind} told to ${die}`);
}

for (const die of ['block', 'throw', 'exit'] as const) {
  const how = die === 'block' ? 'terminated' : die === 'throw' ? 'crashing' : 'calling process.exit';
  test(`Mutex: a worker ${how} while holding it; the next lockAsync gets OwnerDiedError with the lock taken`, async () => {
    const f = fixture();
    await withWorkers(async (start) => {
      await holdAndDie(start('faults', f.handles), 'mutex', die);
      const error = await withDeadline(f.m.lockAsync().then(() => undefined, (e: unknown) => e), 'answer to lockAsync after the owner died');
      assert.ok(error instanceof OwnerDiedError, `expected OwnerDiedError, got ${String(error)}`);
      assert.equal(error.name, 'OwnerDiedError');
      assert.match(error.message, /worker \d+ died holding Mutex 'jobs'/);
      assert.equal(f.m.isHeldByCurrentThread(), true, 'the lock is taken by the caller');
      f.m.markConsistent();
      f.m.unlock();
      assert.ok(f.m.tryLock() !== undefined, 'consistent again: an ordinary lock');
      f.m.unlock();
    });
  });
}

test('Mutex: a blocked lock() in another worker recovers a dead owner; unlocking without markConsistent passes it on', async () => {
  const f = fixture();
  await withWorkers(async (start) => {
    const waiter = start('faults', f.handles);
    await expectEvent(waiter, 'ready', 'waiter');
    const holder = start('faults', f.handles);
    await expectEvent(holder, 'ready', 'holder');
    holder.post({ op: 'hold', kind: 'mutex', die: 'block' });
    await expectEvent(holder, 'holding', 'holder');
    waiter.post({ op: 'lock', kind: 'mutex', unlock: 'plain' }); // sleeps in lock(), then the holder dies
    await holder.worker.terminate();
    const locked = await expectEvent(waiter, 'locked', 'waiter');
    assert.equal((locked['error'] as { name: string } | undefined)?.name, 'OwnerDiedError');
    assert.equal(locked['held'], true);
    // Released without markConsistent: the data may still be torn, so the next locker hears of it too.
    assert.throws(() => f.m.lock(), (e: Error) => e instanceof OwnerDiedError && /not marked consistent/.test(e.message));
    assert.equal(f.m.isHeldByCurrentThread(), true);
    f.m.markConsistent();
    f.m.unlock();
    f.m.lock().unlock();
  });
});

test('tryLock of a lock whose recovering holder released it without markConsistent throws OwnerDiedError, taken', async () => {
  const f = fixture();
  await withWorkers(async (start) => {
    await holdAndDie(start('faults', f.handles), 'mutex', 'block');
    await withDeadline(f.m.lockAsync().catch(() => undefined), 'recovery of the lock');
    f.m.unlock();
    assert.throws(() => f.m.tryLock(), OwnerDiedError);
    assert.equal(f.m.isHeldByCurrentThread(), true);
    f.m.markConsistent();
    f.m.unlock();
  });
});

test('RecursiveMutex: a worker terminated at depth 2; the next locker gets OwnerDiedError at depth 1', async () => {
  const f = fixture();
  await withWorkers(async (start) => {
    await holdAndDie(start('faults', f.handles), 'recursive', 'block');
    const error = await withDeadline(f.r.lockAsync().then(() => undefined, (e: unknown) => e), 'answer to RecursiveMutex lockAsync');
    assert.ok(error instanceof OwnerDiedError, String(error));
    assert.equal(f.r.depth, 1);
    f.r.markConsistent();
    f.r.unlock();
    assert.equal(f.r.depth, 0);
    f.r.lock().unlock();
  });
});

test("SharedQueue: a worker that dies inside the queue's critical section does not wedge it; the queue recovers", async () => {
  const f = fixture();
  f.q.put(1);
  await withWorkers(async (start) => {
    await holdAndDie(start('faults', f.handles), 'queue-lock', 'throw');
    await withDeadline(f.q.putAsync(2), 'answer to putAsync after the holder died');
    assert.equal(await withDeadline(f.q.getAsync(), 'answer to getAsync'), 1);
    assert.equal(f.q.get({ timeout: 1_000 }), 2);
  });
});

test('SharedQueue: a worker that dies leaving the queue torn breaks it clearly, for every later call', async () => {
  const f = fixture();
  await withWorkers(async (start) => {
    await holdAndDie(start('faults', f.handles), 'queue-torn', 'block');
    const broken = (e: Error): boolean => e instanceof OwnerDiedError && /SharedQueue 'work' is broken: a thread died while changing it \(count 1000/.test(e.message);
    await assert.rejects(withDeadline(f.q.getAsync(), 'answer to getAsync on a torn queue'), broken);
    assert.throws(() => f.q.tryPut(1), broken);
    assert.throws(() => f.q.get({ timeout: 10 }), broken);
  });
});

test('markConsistent() by a thread that does not hold the lock, or when nothing died, is an error', () => {
  const m = new Mutex({ name: 'calm' });
  assert.throws(() => m.markConsistent(), /does not hold/);
  m.lock();
  assert.throws(() => m.markConsistent(), /no owner died/);
  m.unlock();
});

test('Barrier: a party that took part in the last round dies; the others get BrokenBarrierError naming it, not a hang', async () => {
  const f = fixture();
  const b = new Barrier(2, { name: 'rounds' });
  await withWorkers(async (start) => {
    const party = start('faults', { ...f.handles, b: b.handle });
    await expectEvent(party, 'ready', 'party');
    party.post({ op: 'arrive', block: true });
    await expectEvent(party, 'arrived', 'party');
    assert.equal(b.wait({ timeout: WITHIN_MS }), 1, 'round 0 trips with both parties');
    const { threadId } = party.worker;
    await party.worker.terminate();
    const error = await withDeadline(b.waitAsync().then(() => undefined, (e: unknown) => e), 'end of round 1 without the dead party');
    assert.ok(error instanceof BrokenBarrierError, String(error));
    assert.match(error.message, new RegExp(`Barrier 'rounds' \\(#\\d+\\) is broken \\(worker ${threadId}, one of its parties, died\\)`));
    assert.equal(b.broken, true);
  });
});

test('Barrier: a party that dies after arriving breaks the round for the others', async () => {
  const f = fixture();
  const b = new Barrier(3);
  await withWorkers(async (start) => {
    const party = start('faults', { ...f.handles, b: b.handle });
    await expectEvent(party, 'ready', 'party');
    party.post({ op: 'arrive', block: true });
    await expectEvent(party, 'arrived', 'party');
    await party.worker.terminate();
    await assert.rejects(withDeadline(b.waitAsync(), 'end of a round the dead party holds a place in'), BrokenBarrierError);
    b.reset();
    assert.equal(b.broken, false);
  });
});
