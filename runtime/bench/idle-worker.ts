/**
 * Worker for the idle-cost benchmark (idle.ts): waits until released, in a bare Atomics.wait or Atomics.waitAsync (the
 * floors), in Mutex.lock() or in Mutex.lockAsync() of the runtime named by `workerData.runtime`, after saying it is
 * about to, with its thread's /proc path, so that the benchmark can read its CPU while it waits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type * as Runtime from '../src/index.js';
import { threadPath } from './thread-cpu.js';

/** Long enough for a blocked waiter's first looks and its first probe of the holder (liveness.ts). */
const WARM_UP_MS = 1_500;

export interface IdleJob {
  runtime: string;
  mode: 'bare' | 'bareAsync' | 'lock' | 'lockAsync';
  /** Int32 slot 0: the bare waiters sleep on it while it is 0. */
  gate: SharedArrayBuffer;
  mutex: Runtime.MutexHandle;
}

if (parentPort !== null) {
  const job = workerData as IdleJob;
  const rt = (await import(job.runtime)) as typeof Runtime;
  const mutex = rt.Mutex.from(job.mutex);
  // Warm-up: one wait of the same kind that times out (for the locks, after their first look and probe), so every
  // mode starts its measured wait from a thread that has done the same, not from one that has just started.
  try {
    if (job.mode === 'lock') mutex.lock({ timeout: WARM_UP_MS });
    else if (job.mode === 'lockAsync') await mutex.lockAsync({ timeout: WARM_UP_MS });
    else if (job.mode === 'bare') Atomics.wait(new Int32Array(job.gate), 0, 0, WARM_UP_MS);
    else {
      const keeper = setTimeout(() => {}, WARM_UP_MS * 2); // a pending waitAsync alone would let the thread end
      await (Atomics.waitAsync(new Int32Array(job.gate), 0, 0, WARM_UP_MS).value as Promise<unknown>);
      clearTimeout(keeper);
    }
  } catch {
    // TimeoutError, as intended
  }
  parentPort.postMessage({ waiting: threadPath() });
  if (job.mode === 'bare') Atomics.wait(new Int32Array(job.gate), 0, 0);
  else if (job.mode === 'bareAsync') {
    // Node does not count a pending waitAsync as work: a timer that never fires keeps the thread alive, as the
    // runtime's keep-alive does for its own async waits.
    const keeper = setInterval(() => {}, 2 ** 30);
    const wait = Atomics.waitAsync(new Int32Array(job.gate), 0, 0);
    if (wait.async) await wait.value;
    clearInterval(keeper);
  } else if (job.mode === 'lock') mutex.lock().unlock();
  else (await mutex.lockAsync()).unlock();
  parentPort.postMessage('done');
}
