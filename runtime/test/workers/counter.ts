/**
 * Worker for the lost-update test: increments a plain (non-atomic) shared counter `iterations` times under the
 * Mutex, alternating lock() and lockAsync() so both paths are exercised. Any mutual-exclusion hole loses updates.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '../../src/index.js';

interface Job {
  mutex: MutexHandle;
  counter: SharedArrayBuffer;
  iterations: number;
}

if (parentPort !== null) {
  const job = workerData as Job;
  const mutex = Mutex.from(job.mutex);
  const counter = new Int32Array(job.counter);
  for (let i = 0; i < job.iterations; i++) {
    if (i % 4 === 3) {
      const guard = await mutex.lockAsync();
      counter[0] = counter[0]! + 1;
      guard.unlock();
    } else {
      using _ = mutex.lock();
      const seen = counter[0]!;
      counter[0] = seen + 1;
    }
  }
  parentPort.postMessage('done');
}
