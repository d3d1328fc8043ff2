/**
 * A hundred workers each decrement one shared counter many times, first with a plain `counter[0] -= 1` and then
 * inside a Mutex. Without the lock two workers read the same value and one decrement overwrites the other, so the
 * count ends above zero; with the lock every decrement survives.
 *
 * Run: node test-fixtures/dist/examples/counter-lost-updates.js [workers]   (default 100 workers)
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

interface Job {
  locked: boolean;
  decrements: number;
  counter: SharedArrayBuffer;
  counterLock: Mutex['handle'];
  start: SharedArrayBuffer;
}

const DECREMENTS_PER_WORKER = 10_000;

/** Runs `workers` workers to completion and returns what is left of a counter that started at workers x decrements. */
async function run(workers: number, locked: boolean): Promise<number> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  counter[0] = workers * DECREMENTS_PER_WORKER;
  const start = new Int32Array(new SharedArrayBuffer(4));
  const job: Job = {
    locked,
    decrements: DECREMENTS_PER_WORKER,
    counter: counter.buffer,
    counterLock: new Mutex({ name: 'counter' }).handle,
    start: start.buffer,
  };
  const exits: Promise<unknown>[] = [];
  const ready: Promise<unknown>[] = [];
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    ready.push(new Promise((resolve) => worker.once('message', resolve)));
    exits.push(
      new Promise((resolve, reject) => {
        worker.once('exit', resolve);
        worker.once('error', reject);
      }),
    );
  }
  // Start everyone at once, so the workers really overlap instead of finishing one by one as they spawn.
  await Promise.all(ready);
  Atomics.store(start, 0, 1);
  Atomics.notify(start, 0);
  await Promise.all(exits);
  return counter[0]!;
}

function decrement(job: Job): void {
  const counter = new Int32Array(job.counter);
  const counterLock = Mutex.from(job.counterLock);
  const start = new Int32Array(job.start);
  parentPort!.postMessage('ready');
  Atomics.wait(start, 0, 0);
  if (job.locked) {
    for (let i = 0; i < job.decrements; i++) {
      const guard = counterLock.lock();
      counter[0]! -= 1;
      guard.unlock();
    }
  } else {
    for (let i = 0; i < job.decrements; i++) {
      counter[0]! -= 1; // read, subtract, write: another worker can write in between
    }
  }
}

if (isMainThread) {
  const workers = Number(process.argv[2] ?? process.env.DEADBOLT_EXAMPLE_WORKERS ?? 100);
  const total = workers * DECREMENTS_PER_WORKER;
  const unlocked = await run(workers, false);
  console.log(`without a lock: ${workers} workers x ${DECREMENTS_PER_WORKER} decrements left ${unlocked} (lost updates: ${unlocked} of ${total})`);
  const locked = await run(workers, true);
  console.log(`with a Mutex:   ${workers} workers x ${DECREMENTS_PER_WORKER} decrements left ${locked} (lost updates: ${locked} of ${total})`);
} else {
  decrement(workerData as Job);
}
