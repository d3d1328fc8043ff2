/**
 * Worker for the idle-cost benchmark (idle.ts): waits until released, in a bare Atomics.wait or Atomics.waitAsync (the
 * floors), in Mutex.lock() or in Mutex.lockAsync() of the runtime named by `workerData.runtime`, after saying it is
 * about to, then reports the CPU its own thread used per second of the wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type * as Runtime from '../src/index.js';
import { threadCpuNs } from './thread-cpu.js';

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
  // Warm-up: one wait on the held lock that times out after the first looks and a probe, so what is measured
  // below is an idle wait, not the one-time compiling of the wait path in a new thread.
  if (job.mode === 'lock' || job.mode === 'lockAsync') {
    try {
      if (job.mode === 'lock') mutex.lock({ timeout: WARM_UP_MS });
      else await mutex.lockAsync({ timeout: WARM_UP_MS });
    } catch {
      // TimeoutError, as intended
    }
  }
  parentPort.postMessage('waiting');
  const cpu = threadCpuNs();
  const start = performance.now();
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
  const end = threadCpuNs();
  // This thread's CPU per second of its wait (undefined where the system does not tell a thread's CPU).
  const perSecond = cpu === undefined || end === undefined ? undefined : (end - cpu) / 1e6 / ((performance.now() - start) / 1000);
  parentPort.postMessage({ perSecond });
}
