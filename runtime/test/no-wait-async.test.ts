/**
 * Engines without Atomics.waitAsync (Firefox before 145, Safari before 16.4), played by Node with it removed before
 * the runtime loads: every async wait parks on the polling stand-in (wait-async.ts) and still excludes, times out,
 * aborts and completes, in one thread and across workers, takes a lock over from a terminated holder, and the process
 * ends on its own when the work is done.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WITHIN_MS } from './harness.js';

const MAIN = fileURLToPath(new URL('./workers/no-wait-async-main.js', import.meta.url));

test('without Atomics.waitAsync, async waits poll: exact under contention, timeouts, aborts, and the process exits', async () => {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    // killSignal is only sent on the timeout: a process kept alive by a timer is reported, not waited for.
    execFile(process.execPath, [MAIN], { timeout: WITHIN_MS }, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`the child did not end on its own within ${WITHIN_MS} ms or failed (${error.message}): ${stdout} ${stderr}`));
      resolve({ stdout, stderr });
    });
  });
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  assert.equal(stderr, '');
  assert.deepEqual(out['workerWaitAsync'], [{ waitAsync: 'undefined' }, { waitAsync: 'undefined' }]);
  assert.deepEqual(out['standIn'], { notEqual: 'not-equal', zeroTimeout: 'timed-out', timedOut: 'timed-out', changed: 'ok', cancelled: 'still pending' });
  assert.deepEqual(out['timeout'], { error: 'TimeoutError' });
  assert.deepEqual(out['abort'], { error: 'AbortError' });
  assert.deepEqual(out['eventAbort'], { error: 'AbortError' });
  assert.deepEqual(out['eventTimeout'], { value: false });
  assert.deepEqual(out['barrierTimeout'], { error: 'TimeoutError' });
  assert.equal(out['counter'], out['expected'], 'every increment under lockAsync/withLockAsync survived');
  assert.ok((out['contended'] as number) > 0, `the workers contended for the mutex: ${stdout}`);
  const waits = out['waits'] as { set?: boolean; index: number }[];
  assert.deepEqual(waits.map((w) => w.set), [true, true, undefined]);
  assert.deepEqual(waits.map((w) => w.index).sort(), [0, 1, 2]);
  assert.deepEqual(out['exits'], [0, 0]);
  assert.deepEqual(out['heir'], { heir: 'OwnerDiedError' }, 'a lockAsync waiting for a terminated holder takes the lock over');
  assert.equal(out['heirExit'], 0);
});
