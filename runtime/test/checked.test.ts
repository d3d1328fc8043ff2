/**
 * Checked mode (lock-order checking like Linux lockdep), on for this whole test process: an opposite-order
 * pair across two workers throws LockOrderViolation naming both chains, before blocking; rank rules; cycles
 * through several locks; lockAll stays clean; DEADBOLT_CHECK=1 turns it on from the environment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { configure, lockAll, LockOrderViolation, Mutex, RecursiveMutex, type OrderStep } from '../src/index.js';
import { withWorkers } from './harness.js';

// Before any worker exists, so every worker inherits the same shared lock-order graph.
configure({ checkLockOrder: true });

interface Verdict {
  threw: boolean;
  name: string;
  message: string;
  attempted: OrderStep;
  recorded: OrderStep[];
}

test('opposite orders in two workers: the second throws LockOrderViolation naming both chains, before blocking', async () => {
  const a = new Mutex({ name: 'accounts' });
  const b = new Mutex({ name: 'ledger' });
  await withWorkers(async (start) => {
    const forward = start('checked', { role: 'forward', a: a.handle, b: b.handle });
    assert.equal(await forward.next(), 'holding a');
    // `accounts` is now held by the forward worker: had the check not come first, this lock() would hang.
    const backward = start('checked', { role: 'backward', a: a.handle, b: b.handle });
    const verdict = await backward.next<Verdict>();
    assert.equal(verdict.threw, true);
    assert.equal(verdict.name, 'LockOrderViolation');
    assert.match(verdict.message, /tries Mutex 'accounts'.* while holding Mutex 'ledger'/);
    assert.match(verdict.message, /took Mutex 'ledger'.* while holding Mutex 'accounts'/);
    // Both chains carry their call sites: the backward attempt and the recorded forward order.
    assert.match(verdict.attempted.takenAt, /takeBThenA .*checked\.js:\d+:\d+/);
    assert.match(verdict.attempted.heldAt, /takeBThenA .*checked\.js:\d+:\d+/);
    assert.equal(verdict.recorded.length, 1);
    assert.match(verdict.recorded[0]!.takenAt, /takeAThenB .*checked\.js:\d+:\d+/);
    assert.match(verdict.recorded[0]!.heldAt, /takeAThenB .*checked\.js:\d+:\d+/);
    assert.notEqual(verdict.recorded[0]!.thread, verdict.attempted.thread);
    forward.post('release');
    assert.equal(await forward.next(), 'released');
  });
});

test('a cycle through three locks, recorded in this thread, is caught with the whole chain', () => {
  const [x, y, z] = ['x', 'y', 'z'].map((name) => new Mutex({ name }));
  lockAll([x!, y!], () => {});
  y!.withLock(() => z!.withLock(() => {}));
  z!.lock();
  let caught: unknown;
  try {
    x!.lock();
  } catch (error) {
    caught = error;
  }
  z!.unlock();
  assert.ok(caught instanceof LockOrderViolation, String(caught));
  assert.deepEqual(
    caught.recorded.map((step) => [step.held, step.taken]),
    [
      [`Mutex 'x' (#${x!.id})`, `Mutex 'y' (#${y!.id})`],
      [`Mutex 'y' (#${y!.id})`, `Mutex 'z' (#${z!.id})`],
    ],
  );
  assert.equal(x!.isHeldByCurrentThread(), false, 'the violating acquisition did not happen');
});

test('ranked locks must be taken in increasing rank; lockAll always complies', async () => {
  const low = new Mutex({ name: 'low', rank: 1 });
  const high = new RecursiveMutex({ name: 'high', rank: 2 });
  high.lock();
  assert.throws(() => low.lock(), (e: Error) => e instanceof LockOrderViolation && /rank 1.*rank 2/.test(e.message));
  await assert.rejects(low.lockAsync(), LockOrderViolation);
  high.unlock();
  assert.equal(lockAll([high, low], () => low.isHeldByCurrentThread() && high.isHeldByCurrentThread()), true);
});

test('the same order, repeated from several threads, never throws', async () => {
  const p = new Mutex({ name: 'p' });
  const q = new Mutex({ name: 'q' });
  for (let i = 0; i < 3; i++) p.withLock(() => q.withLock(() => {}));
  await withWorkers(async (start) => {
    const forward = start('checked', { role: 'forward', a: p.handle, b: q.handle });
    assert.equal(await forward.next(), 'holding a');
    forward.post('release');
    assert.equal(await forward.next(), 'released');
  });
});

test('DEADBOLT_CHECK=1 turns checked mode on without configure()', async () => {
  const index = new URL('../src/index.js', import.meta.url).href;
  const program = `
    const { Mutex } = await import(${JSON.stringify(index)});
    const a = new Mutex({ name: 'a' }), b = new Mutex({ name: 'b' });
    a.lock(); b.lock(); b.unlock(); a.unlock();
    b.lock();
    try { a.lock(); console.log('no violation'); } catch (e) { console.log(e.name); }`;
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', program], { env: { ...process.env, DEADBOLT_CHECK: '1' }, timeout: 20_000 }, (error, stdout) =>
      error === null ? resolve(stdout.trim()) : reject(error),
    );
  });
  assert.equal(output, 'LockOrderViolation');
});
