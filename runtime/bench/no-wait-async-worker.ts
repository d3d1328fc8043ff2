/**
 * Worker for the hand-off latency benchmark of engines without Atomics.waitAsync (no-wait-async.ts): removes
 * Atomics.waitAsync before loading the runtime when told to, then, for each 'go', waits in lockAsync for the mutex the
 * main thread holds and reports how long after the main thread's unlock it got the lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MutexHandle } from '../src/index.js';

export interface HandoffJob {
  polling: boolean;
  mutex: MutexHandle;
  /** Float64 slot 0: when the main thread unlocked, in ms since the epoch (timeOrigin + now, comparable across threads). */
  releasedAt: SharedArrayBuffer;
}

if (parentPort !== null) {
  const port = parentPort;
  const job = workerData as HandoffJob;
  if (job.polling) delete (Atomics as { waitAsync?: unknown }).waitAsync;
  const { Mutex } = await import('../src/index.js');
  const mutex = Mutex.from(job.mutex);
  const releasedAt = new Float64Array(job.releasedAt);
  port.on('message', async (message: string) => {
    if (message === 'stop') return port.close();
    const taking = mutex.lockAsync({ timeout: 60_000 });
    port.postMessage('waiting');
    const guard = await taking;
    const latency = performance.timeOrigin + performance.now() - releasedAt[0]!;
    guard.unlock();
    port.postMessage(latency);
  });
  port.postMessage('ready');
}
