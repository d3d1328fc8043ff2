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
/** Lock+unlock rounds each worker runs before the start flag, so the timed loop runs optimized code. */
const WARMUP_ITERATIONS = 20_000;
const shared = new Int32Array(job.shared);
const futex = job.kind === 'futex' ? new FutexMutex(new Int32Array(job.futexCell)) : undefined;
const lock: PlainLock = futex ?? Mutex.from(job.mutexHandle);

// Deadbolt's Mutex calls the tracer's waitBegin exactly when lock() leaves the fast path, as FutexMutex counts.
let deadboltSlowPaths = 0;
if (job.countSlowPaths && futex === undefined) {
  const ignore = (): void => {};
  installTracer({ created: ignore, waitBegin: () => deadboltSlowPaths++, waitEnd: ignore, acquired: ignore, released: ignore, notified: ignore });
}

/** Critical sections with `work` loop steps of private work between them, as a real program does. */
function throughputLoop(iterations: number, counter: Int32Array<SharedArrayBuffer>): void {
  for (let i = 0; i < iterations; i++) {
    lock.lock();
    counter[0]!++;
    lock.unlock();
    for (let k = 0; k < job.work; k++) sink = (sink * 31 + k) | 0;
  }
}

let sink = 0;
// Warm up in this worker, before the start flag: each trial runs in fresh workers (fresh isolates), so without
// this the timed loop would start in the interpreter, and the lock with more bytecode would pay more for it.
// The warm-up counts into a private cell so the shared counter still checks the timed run exactly.
throughputLoop(WARMUP_ITERATIONS, new Int32Array(new SharedArrayBuffer(4)));
deadboltSlowPaths = 0;
if (futex !== undefined) futex.slowPaths = 0;

Atomics.add(shared, S_READY, 1);
Atomics.notify(shared, S_READY);
// Parking on the go flag instead of spinning keeps the first worker from stealing the CPU from the second's start-up.
Atomics.wait(shared, S_GO, 0);

const start = absoluteNow();
if (job.mode === 'throughput') {
  throughputLoop(job.iterations, shared.subarray(S_COUNTER, S_COUNTER + 1));
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
