/**
 * Runs the lock examples (deadlock, lockAll fix, lost updates, reentrancy, Condition) as a user would and checks
 * the exit code and the lines that show what each example demonstrates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberAfter, runExample } from './run-example.js';

test('deadlock-opposite-order: both transfers time out holding the lock the other needs, and the program ends', async () => {
  const run = await runExample('deadlock-opposite-order');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /checkingToSavings: timed out waiting for savings while holding checking/);
  assert.match(run.stdout, /savingsToChecking: timed out waiting for checking while holding savings/);
  assert.match(run.stdout, /deadlock: 2 of 2 transfers timed out/);
  assert.match(run.stdout, /balances: checking 100, savings 100/);
});

test('deadlock-classic: each action takes its first lock, then both wait for the other; the watchdog reports it', async () => {
  const run = await runExample('deadlock-classic');
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /actionA holds a\n|actionA holds a$/m);
  assert.match(run.stdout, /actionB holds b/);
  assert.doesNotMatch(run.stdout, /holds a and b|holds b and a/);
  assert.match(run.stdout, /deadlock: after 3000 ms/);
});

test('deadlock-fixed-lock-all: the same opposite transfers complete with lockAll and conserve money', async () => {
  const run = await runExample('deadlock-fixed-lock-all');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /no deadlock/);
  assert.match(run.stdout, /checking 1000, savings 1000, total 2000/);
});

test('counter-lost-updates (10 workers via argument): the locked run loses nothing; the unlocked count is reported', async () => {
  const run = await runExample('counter-lost-updates', ['10']);
  assert.equal(run.code, 0, run.stderr);
  const unlocked = numberAfter(run.stdout, /without a lock: 10 workers x 10000 decrements left (\d+)/);
  assert.ok(unlocked >= 0 && unlocked <= 100_000);
  assert.match(run.stdout, /with a Mutex: +10 workers x 10000 decrements left 0 \(lost updates: 0 of 100000\)/);
});

test('counter-lost-updates defaults to 100 workers and honours DEADBOLT_EXAMPLE_WORKERS', async () => {
  const run = await runExample('counter-lost-updates', [], { DEADBOLT_EXAMPLE_WORKERS: '3' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /with a Mutex: +3 workers x 10000 decrements left 0/);
});

test('reentrant-lock: nested restocks re-enter the RecursiveMutex; a plain Mutex throws DeadlockError', async () => {
  const run = await runExample('reentrant-lock');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /stock now 4000, 4000, 4000 \(expected 4000 each\)/);
  assert.match(run.stdout, /plain Mutex locked twice by one thread: DeadlockError/);
});

test('producer-consumer-condition: every item arrives once and in order through the small buffer', async () => {
  const run = await runExample('producer-consumer-condition');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /consumer received 5000 items in order through 8 slots, sum 12502500/);
});
