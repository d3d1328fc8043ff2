/**
 * Proof of no lost wake-ups: two workers hand a turn back and forth through one Condition more than 10^5
 * times, with no timeout anywhere. The notify regularly lands between the waiter releasing the mutex and
 * going to sleep; if it were ever lost, both workers would sleep forever and the test would time out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Condition, Mutex } from '../src/index.js';
import { withWorkers } from './harness.js';

test('10^5 condition waits between two workers, no timeout rescue', { timeout: 600_000 }, async () => {
  const ROUNDS = 90_000;
  const mutex = new Mutex({ name: 'pingpong' });
  const condition = new Condition(mutex);
  const turn = new SharedArrayBuffer(4);
  const began = performance.now();
  const waits = await withWorkers(async (start) => {
    const players = [0, 1].map((me) => start('pingpong', { me, mutex: mutex.handle, condition: condition.handle, turn, rounds: ROUNDS }));
    // A lost wake-up shows as no report: bounded below the test's own timeout, so the failure says so. Generous, since
    // a loaded machine may slow the hand-offs tenfold: this bounds a hang, it measures no speed.
    return (await Promise.all(players.map((w) => w.next<number>('its count of waits after every round', 540_000)))).reduce((a, b) => a + b);
  });
  const seconds = (performance.now() - began) / 1000;
  console.log(`condition stress: ${waits} waits, ${2 * ROUNDS} hand-offs in ${seconds.toFixed(2)} s`);
  assert.ok(waits >= 100_000, `only ${waits} waits happened`);
  assert.equal(new Int32Array(turn)[0], 0, 'every hand-off happened');
});
