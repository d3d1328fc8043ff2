/**
 * Lock loops for the tracing-overhead benchmark, run with and without the tracing preload, shaped like the runtime's
 * own lock benchmarks: `uncontended <n>` locks and unlocks one Mutex n times on the main thread; `contended <n>` has
 * two workers each run n critical sections (a shared counter increment) with ~100 steps of private work between them.
 * Prints one JSON line: { mode, ops, ns } (nanoseconds per critical section).
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Steps of private work between two critical sections in the contended loop, as in runtime/bench. */
const PRIVATE_WORK = 100;

function loop(lock: Mutex, n: number): void {
  for (let i = 0; i < n; i++) {
    lock.lock();
    lock.unlock();
  }
}

function contendedLoop(lock: Mutex, counter: Int32Array, n: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    lock.lock();
    counter[0]!++;
    lock.unlock();
    for (let k = 0; k < PRIVATE_WORK; k++) sink = (sink * 31 + k) | 0;
  }
  return sink;
}

if (isMainThread) {
  const mode = process.argv[2] ?? 'uncontended';
  const n = Number(process.argv[3] ?? 1_000_000);
  const lock = new Mutex({ name: 'benchLock' });
  if (mode === 'uncontended') {
    loop(lock, n / 10); // warm up the JIT before timing
    const start = process.hrtime.bigint();
    loop(lock, n);
    const ns = Number(process.hrtime.bigint() - start) / n;
    console.log(JSON.stringify({ mode, ops: n, ns }));
  } else {
    // Both workers start their timed loops together, after booting, so worker start-up is not measured.
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const workers = [0, 1].map((i) => new Worker(new URL(import.meta.url), { name: `looper-${i}`, workerData: { handle: lock.handle, n, ready, counter } }));
    const elapsed = await Promise.all(workers.map((w) => new Promise<number>((resolve) => w.once('message', resolve))));
    const ns = Math.max(...elapsed) / (2 * n);
    console.log(JSON.stringify({ mode, ops: 2 * n, ns }));
  }
} else {
  const { handle, n, ready, counter } = workerData as { handle: MutexHandle; n: number; ready: Int32Array; counter: Int32Array };
  const lock = Mutex.from(handle);
  contendedLoop(lock, counter, n / 10); // warm up the JIT before timing
  if (Atomics.add(ready, 0, 1) === 1) Atomics.notify(ready, 0);
  else Atomics.wait(ready, 0, 1);
  const start = process.hrtime.bigint();
  contendedLoop(lock, counter, n);
  parentPort!.postMessage(Number(process.hrtime.bigint() - start));
}
