/**
 * Issue 16.3, with real workers and processes: checked mode records the documented 8192 lock orders (its text
 * store used to fill after about 4,800 and then miss real inversions silently), warns once when the graph is
 * full, and says so when DEADBOLT_CHECK=1 reaches workers whose main thread never loaded the runtime.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { withWorkers } from './harness.js';

interface Report {
  violation: string;
  warnings: string[];
  dropped: number;
}

async function fill(pairs: number): Promise<Report> {
  return withWorkers(async (start) => start('checked-fill', { pairs }).next<Report>(`a report after ${pairs} orders`));
}

test('6,000 recorded orders (under the documented 8192): an inversion after them is still caught, no warning', async () => {
  const report = await fill(6_000);
  assert.equal(report.dropped, 0);
  assert.deepEqual(report.warnings, []);
  assert.equal(report.violation, 'LockOrderViolation');
});

test('past 8192 orders the graph is full: one warning says so, and droppedOrderEdges() counts', async () => {
  const report = await fill(8_200);
  assert.ok(report.dropped >= 9, `dropped ${report.dropped}`);
  const full = report.warnings.filter((w) => /lock-order graph is full \(8192 edges\)/.test(w));
  assert.equal(full.length, 1, JSON.stringify(report.warnings));
});

/** Runs a main thread that never loads the runtime; its worker does, with DEADBOLT_CHECK=1. Returns stderr. */
function unsharedRun(nodeArgs: string[]): Promise<string> {
  const index = new URL('../src/index.js', import.meta.url).href;
  const program = `
    import { Worker } from 'node:worker_threads';
    const code = 'await import(' + ${JSON.stringify(JSON.stringify(index))} + ');';
    const worker = new Worker(code, { eval: true });
    worker.on('exit', () => console.log('done'));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, '--input-type=module', '-e', program], { env: { ...process.env, DEADBOLT_CHECK: '1' }, timeout: 20_000 }, (error, stdout, stderr) =>
      error === null && stdout.trim() === 'done' ? resolve(stderr) : reject(error ?? new Error(stdout)),
    );
  });
}

test('DEADBOLT_CHECK=1 with a main thread that never loads the runtime: the worker warns that nothing is shared', async () => {
  const stderr = await unsharedRun([]);
  assert.match(stderr, /DeadboltWarning: deadbolt checked mode \(DEADBOLT_CHECK=1\) in worker \d+: the main thread had not loaded @deadbolt\/runtime/);
  assert.match(stderr, /node --import @deadbolt\/runtime/);
});

test('the documented fix, --import of the runtime in the main thread, shares the graph: no warning', async () => {
  const index = new URL('../src/index.js', import.meta.url).href;
  const stderr = await unsharedRun(['--import', index]);
  assert.doesNotMatch(stderr, /DeadboltWarning/);
});
