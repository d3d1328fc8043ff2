/**
 * Runs the coordination examples (Event, Semaphore, blocking coroutine, piscina pool and abort, SharedQueue) and
 * checks their exit code and key output; also checks that every example in examples/ has a test here or in
 * examples-locks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exampleNames, numberAfter, runExample } from './run-example.js';

test('event-release: setting the event releases every waiting worker', async () => {
  const run = await runExample('event-release');
  assert.equal(run.code, 0, run.stderr);
  for (let i = 0; i < 4; i++) assert.match(run.stdout, new RegExp(`runner ${i} released \\(event set: true\\)`));
  assert.match(run.stdout, /event released all 4 waiting workers/);
});

test('semaphore-max-concurrency: never more holders at once than permits', async () => {
  const run = await runExample('semaphore-max-concurrency');
  assert.equal(run.code, 0, run.stderr);
  const max = numberAfter(run.stdout, /max concurrency seen: (\d+) \(permits: 5\)/);
  assert.ok(max >= 1 && max <= 5, `max concurrency ${max}`);
});

test('blocking-coroutine: the sync lock stalls the event loop, the async one does not', async () => {
  const run = await runExample('blocking-coroutine');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(numberAfter(run.stdout, /refreshBlocking: waited for the lock with (\d+) heartbeats/), 0);
  assert.ok(numberAfter(run.stdout, /refreshPolite: waited for the lock with (\d+) heartbeats/) >= 1);
});

test('piscina-pool: tasks on the pool threads share the Mutex and no ledger update is lost', async () => {
  const run = await runExample('piscina-pool');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /ledger: 20000 entries \(expected 20000\), sum 410000 \(expected 410000\)/);
});

test('piscina-abort: a task aborted while holding the Mutex; the next locker gets OwnerDiedError, repairs, and the pool goes on', async () => {
  const run = await runExample('piscina-abort');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /transfer aborted half-way \(AbortError\): piscina ended the thread that held 'accounts'/);
  assert.match(run.stdout, /lockAsync: OwnerDiedError: worker \d+ died holding Mutex 'accounts'/);
  assert.match(run.stdout, /found a=90 b=0 \(sum 90\)/);
  assert.match(run.stdout, /repaired a=90 b=10 \(sum 100\)/);
  assert.match(run.stdout, /next transfer a=80 b=20 \(sum 100\)/);
});

test('shared-queue-pipeline: join returns after all jobs, and the consumers processed them all', async () => {
  const run = await runExample('shared-queue-pipeline');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /all 1000 jobs processed \(join returned\)/);
  const processed = [...run.stdout.matchAll(/consumer \d processed (\d+) jobs/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.equal(processed, 1000);
});

test('every example has a test that runs it', () => {
  const testsDir = fileURLToPath(new URL('.', import.meta.url));
  // Read the compiled test files: the names they pass to runExample are the examples they cover.
  const covered = new Set(
    ['examples-locks.test.js', 'examples-coordination.test.js'].flatMap((f) =>
      [...readFileSync(`${testsDir}${f}`, 'utf8').matchAll(/runExample\('([\w-]+)'/g)].map((m) => m[1]!),
    ),
  );
  assert.deepEqual(exampleNames().filter((name) => !covered.has(name)), []);
});
