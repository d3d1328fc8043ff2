/**
 * Worker side of the contended benchmarks. Each worker rebuilds its lock (a Deadbolt Mutex or the futex
 * baseline), waits on a shared start flag so both workers begin together, runs its loop and posts its own
 * start and end instants; the main thread computes throughput or hand-off latency from them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Mutex } from '../src/index.js';
import { installTracer } from '../src/trace/hooks.js';
import { FutexMutex } from './futex-mutex.js';
import { absoluteNow } from './harness.js';
import { S_COUNTER, S_GO, S_READY, S_TURN, type ContentionJob } from './contention-layout.js';

interface PlainLock {
  lock(): void;
  unlock(): void;
}

const job = workerData as ContentionJob;
const shared = new Int32Array(job.shared);
const futex = job.kind === 'futex' ? new FutexMutex(new Int32Array(job.futexCell)) : undefined;
const lock: PlainLock = futex ?? Mutex.from(job.mutexHandle);

// Deadbolt's Mutex calls the tracer's waitBegin exactly when lock() leaves the fast path, as FutexMutex counts.
let deadboltSlowPaths = 0;
if (job.countSlowPaths && futex === undefined) {
  const ignore = (): void => {};
  installTracer({ created: ignore, waitBegin: () => deadboltSlowPaths++, waitEnd: ignore, acquired: ignore, released: ignore, notified: ignore });
}

Atomics.add(shared, S_READY, 1);
Atomics.notify(shared, S_READY);
// Parking on the go flag instead of spinning keeps the first worker from stealing the CPU from the second's start-up.
Atomics.wait(shared, S_GO, 0);

let sink = 0;
const start = absoluteNow();
if (job.mode === 'throughput') {
  for (let i = 0; i < job.iterations; i++) {
    lock.lock();
    shared[S_COUNTER]!++;
    lock.unlock();
    // Private work outside the lock, as a real program does between critical sections.
    for (let k = 0; k < job.work; k++) sink = (sink * 31 + k) | 0;
  }
} else {
  // Strict alternation: a worker only makes progress when the turn is its own, so every step is one hand-off.
  const me = job.id;
  let done = 0;
  while (done < job.iterations) {
    lock.lock();
    if (shared[S_TURN] === me) {
      shared[S_TURN] = 1 - me;
      shared[S_COUNTER]!++;
      done++;
    }
    lock.unlock();
  }
}
const end = absoluteNow();
parentPort!.postMessage({ start, end, sink, slowPaths: futex?.slowPaths ?? deadboltSlowPaths });
