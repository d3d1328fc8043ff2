/**
 * A Node 24 worker pool that coordinates its jobs with Web Locks, as the docs suggest, and deadlocks: one job locks
 * 'orders' then 'stock', the other 'stock' then 'orders'. Each job waits (on a shared counter, without blocking its
 * thread) until the other holds its first lock, so the cycle always closes. The marker comments are read by the adapter tests.
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

// @types/node 20 does not declare Web Locks yet; Node 24 has them on navigator.
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
const locks = (globalThis as unknown as { navigator: { locks: Locks } }).navigator.locks;

interface Job {
  first: string;
  second: string;
  /** How many jobs hold their first lock. */
  started: Int32Array;
}

if (isMainThread) {
  const started = new Int32Array(new SharedArrayBuffer(4));
  const jobs: [string, Job][] = [
    ['sync-orders', { first: 'orders', second: 'stock', started }],
    ['sync-stock', { first: 'stock', second: 'orders', started }],
  ];
  for (const [name, job] of jobs) {
    const worker = new Worker(new URL(import.meta.url), { name });
    worker.on('message', (done: string) => console.log(`${name}: ${done}`));
    worker.postMessage(job);
  }
  console.log('pool started');
} else {
  // A pool worker: runs each job it is sent, and stays up waiting for the next.
  parentPort!.on('message', (job: Job) => {
    void runJob(job).then(() => parentPort!.postMessage(`done ${job.first}+${job.second}`));
  });
}

async function runJob({ first, second, started }: Job): Promise<void> {
  await locks.request(first, async () => { // @hold
    await bothStarted(started);
    await locks.request(second, async () => { // @wait
      console.log('unreachable: both locks taken');
    });
  });
}

async function bothStarted(started: Int32Array): Promise<void> {
  Atomics.add(started, 0, 1);
  Atomics.notify(started, 0);
  for (let n = Atomics.load(started, 0); n < 2; n = Atomics.load(started, 0)) await Atomics.waitAsync(started, 0, n).value;
}
