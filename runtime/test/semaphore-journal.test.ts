/**
 * The Semaphore's scoped holders leave no window (issue 28): whatever step a thread dies at inside withPermit, or
 * inside finishing another dead thread's row, exactly the permits it held come back, once. Each case below writes
 * the holder table as a thread that died at that step left it (the frozen count, the row and its journal), with
 * tokens of real threads that have exited, and checks what the next tryAcquire, which finishes dead rows, finds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { Semaphore } from '../src/index.js';
import { SEMAPHORE_HOLDER_TABLE } from '../src/semaphore.js';
import { isDead } from '../src/thread-table.js';
import { MESSAGE_MS } from './death-scenarios.js';
import { withDeadline } from './harness.js';

/** A token of a thread that has exited and been reported dead. */
async function deadToken(): Promise<number> {
  const worker = new Worker(new URL('./workers/token.js', import.meta.url));
  const token = await withDeadline(new Promise<number>((resolve) => worker.once('message', resolve)), 'the worker to post its token', MESSAGE_MS);
  await withDeadline(new Promise((resolve) => worker.once('exit', resolve)), 'the worker to exit', MESSAGE_MS);
  for (const deadline = performance.now() + 15_000; !isDead(token); ) {
    if (performance.now() > deadline) throw new Error(`token ${token} not reported dead within 15 s of its thread's exit`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return token;
}

const { start: ROW, owner: OWNER } = SEMAPHORE_HOLDER_TABLE;
const HELD = 1;
const SNAP = 2;
const BIAS = 2 ** 25; // row 0's bias: the count while row 0 changes it is count - BIAS

interface Left {
  /** The count, frozen (count - BIAS) if `frozen`. */
  count: number;
  frozen: boolean;
  owner: 'dead' | 'dead finisher';
  held: number;
  snap: number;
}

const dead: { holder?: number; finisher?: number } = {};

/** A semaphore whose row 0 is as a thread left it; returns it after a tryAcquire (which must take a permit). */
async function after(left: Left): Promise<Semaphore> {
  dead.holder ??= await deadToken();
  dead.finisher ??= await deadToken();
  const s = new Semaphore(0);
  const word = new Int32Array(s.handle.buffer);
  word[ROW + OWNER] = left.owner === 'dead' ? dead.holder : -dead.finisher;
  word[ROW + HELD] = left.held;
  word[ROW + SNAP] = left.snap;
  Atomics.store(word, 0, left.frozen ? left.count - BIAS : left.count);
  assert.equal(s.available, left.count, 'available reads through a frozen count');
  assert.equal(s.tryAcquire(), true, 'the dead row was finished and its permits taken from');
  assert.equal(word[ROW + OWNER], 0, 'the row is free again');
  assert.equal(word[ROW + HELD], 0);
  return s;
}

test('died after freezing the count for a take, before counting it in its row: its 1 earlier permit comes back', async () => {
  assert.equal((await after({ count: 0, frozen: true, owner: 'dead', held: 1, snap: 1 })).available, 0);
});

test('died after counting the take in its row, before the unfreezing add: still its 1 earlier permit, not 2', async () => {
  assert.equal((await after({ count: 0, frozen: true, owner: 'dead', held: 2, snap: 1 })).available, 0);
});

test('died returning its only permit, after emptying its row, before the unfreezing add: the permit comes back once', async () => {
  assert.equal((await after({ count: 2, frozen: true, owner: 'dead', held: 0, snap: 1 })).available, 2);
});

test('died between scoped calls, count not frozen, holding 2: both come back', async () => {
  assert.equal((await after({ count: 0, frozen: false, owner: 'dead', held: 2, snap: 7 })).available, 1);
});

test('a finisher died after freezing a dead row and emptying it: the next finisher returns the journal permits', async () => {
  assert.equal((await after({ count: 1, frozen: true, owner: 'dead finisher', held: 0, snap: 3 })).available, 3);
});

test('a finisher died after its unfreezing add, before freeing the row: nothing more comes back', async () => {
  const s = new Semaphore(0);
  dead.finisher ??= await deadToken();
  const word = new Int32Array(s.handle.buffer);
  word[ROW + OWNER] = -dead.finisher;
  word[ROW + SNAP] = 3;
  Atomics.store(word, 0, 0);
  assert.equal(s.tryAcquire(), false, 'the 3 permits were already returned by the dead finisher, not here');
  assert.equal(word[ROW + OWNER], 0, 'the row is free again');
  assert.equal(s.available, 0);
});
