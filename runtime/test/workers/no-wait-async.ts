/**
 * Worker for the test of engines without Atomics.waitAsync: removes it before loading the runtime, as an engine that
 * lacks it would be, then makes every kind of async wait park on the polling stand-in: a contended counter under
 * lockAsync/withLockAsync, then a Semaphore, an Event, a Condition and a Barrier that the main thread opens later.
 * With a `role`, it instead holds a mutex until terminated ('hold') or waits in lockAsync for that holder to die
 * ('heir'), reporting what the wait ended with.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { BarrierHandle, ConditionHandle, EventHandle, MutexHandle, SemaphoreHandle } from '../../src/index.js';
import { WITHIN_MS } from '../harness.js';

delete (Atomics as { waitAsync?: unknown }).waitAsync;
const { Barrier, Condition, Event, Mutex, Semaphore } = await import('../../src/index.js');

interface Job {
  mutex: MutexHandle;
  condition: ConditionHandle;
  semaphore: SemaphoreHandle;
  event: EventHandle;
  barrier: BarrierHandle;
  /**
   * [0] the counter, [1] the condition's flag, [2] workers waiting for the mutex, [3] critical sections entered while
   * the other worker waited for the mutex (proof of contention), [4] workers ready to count.
   */
  shared: SharedArrayBuffer;
  iterations: number;
}

interface OrphanJob {
  role: 'hold' | 'heir';
  mutex: MutexHandle;
}

/**
 * Holds the mutex across a timer turn (1 ms or more), so the other worker's lockAsync is pending while this one holds
 * it: with a shorter section, a worker scheduled first on a busy machine could finish before the other contends.
 */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

if (parentPort !== null && (workerData as Partial<OrphanJob>).role !== undefined) {
  const job = workerData as OrphanJob;
  const mutex = Mutex.from(job.mutex);
  if (job.role === 'hold') {
    mutex.lock();
    parentPort.postMessage('held');
    // Blocked until terminated; the bound only keeps a broken test from leaving the thread behind.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WITHIN_MS);
  } else {
    const taking = mutex.lockAsync({ timeout: WITHIN_MS });
    parentPort.postMessage('waiting');
    try {
      (await taking).unlock();
      parentPort.postMessage({ heir: 'taken' });
    } catch (error) {
      if (mutex.isHeldByCurrentThread()) mutex.unlock();
      parentPort.postMessage({ heir: (error as Error).name });
    }
  }
} else if (parentPort !== null) {
  const job = workerData as Job;
  const mutex = Mutex.from(job.mutex);
  const condition = Condition.from(job.condition, mutex);
  const shared = new Int32Array(job.shared);
  const within = { timeout: WITHIN_MS };
  parentPort.postMessage({ waitAsync: typeof (Atomics as { waitAsync?: unknown }).waitAsync });
  // Both workers start counting together, or the first could finish before the second has loaded.
  Atomics.add(shared, 4, 1);
  const ready = performance.now() + WITHIN_MS;
  while (Atomics.load(shared, 4) < 2) {
    if (performance.now() > ready) throw new Error(`the other worker was not ready to count within ${WITHIN_MS} ms`);
    Atomics.wait(shared, 4, 1, 10);
  }
  const increment = async (): Promise<void> => {
    Atomics.sub(shared, 2, 1);
    if (Atomics.load(shared, 2) > 0) Atomics.add(shared, 3, 1);
    const seen = shared[0]!;
    await turn();
    shared[0] = seen + 1;
  };
  for (let i = 0; i < job.iterations; i++) {
    Atomics.add(shared, 2, 1);
    if (i % 2 === 0) {
      await mutex.withLockAsync(increment, within);
    } else {
      const guard = await mutex.lockAsync(within);
      await increment();
      guard.unlock();
    }
  }
  parentPort.postMessage('counted');
  await Semaphore.from(job.semaphore).acquireAsync(within);
  const set = await Event.from(job.event).waitAsync(within);
  await mutex.lockAsync(within);
  await condition.waitForAsync(() => shared[1] === 1, within);
  mutex.unlock();
  const index = await Barrier.from(job.barrier).waitAsync(within);
  parentPort.postMessage({ set, index });
}
