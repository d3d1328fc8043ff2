/**
 * Lock loops for the tracing-overhead benchmark, run with and without the tracing preload:
 * `uncontended <n>` locks and unlocks one Mutex n times on the main thread; `contended <n>` has two workers do that
 * on one shared Mutex. Prints one JSON line: { mode, ops, ns } (nanoseconds per lock/unlock pair).
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

function loop(lock: Mutex, n: number): void {
  for (let i = 0; i < n; i++) {
    lock.lock();
    lock.unlock();
  }
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
    const start = process.hrtime.bigint();
    const workers = [0, 1].map((i) => new Worker(new URL(import.meta.url), { name: `looper-${i}`, workerData: { handle: lock.handle, n } }));
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    const ns = Number(process.hrtime.bigint() - start) / (2 * n);
    console.log(JSON.stringify({ mode, ops: 2 * n, ns }));
  }
} else {
  const { handle, n } = workerData as { handle: MutexHandle; n: number };
  loop(Mutex.from(handle), n);
}
