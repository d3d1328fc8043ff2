/**
 * A Node 24 worker pool that coordinates its jobs with Web Locks, as the docs suggest, and deadlocks: one job locks
 * 'orders' then 'stock', the other 'stock' then 'orders'. Each waits (through locks.query) until the other holds its
 * first lock, so the cycle always closes. The marker comments are read by the adapter tests.
 */
import { isMainThread, Worker, workerData } from 'node:worker_threads';

// @types/node 20 does not declare Web Locks yet; Node 24 has them on navigator.
interface LockInfo {
  name?: string;
}
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  query(): Promise<{ held?: LockInfo[]; pending?: LockInfo[] }>;
}
const locks = (globalThis as unknown as { navigator: { locks: Locks } }).navigator.locks;

interface Job {
  first: string;
  second: string;
}

if (isMainThread) {
  const jobs: [string, Job][] = [
    ['sync-orders', { first: 'orders', second: 'stock' }],
    ['sync-stock', { first: 'stock', second: 'orders' }],
  ];
  for (const [name, job] of jobs) new Worker(new URL(import.meta.url), { name, workerData: job });
  console.log('pool started');
} else {
  await runJob(workerData as Job);
}

async function runJob({ first, second }: Job): Promise<void> {
  await locks.request(first, async () => { // @hold
    await untilHeld(second);
    await locks.request(second, async () => { // @wait
      console.log('unreachable: both locks taken');
    });
  });
}

async function untilHeld(name: string): Promise<void> {
  while (!(await locks.query()).held?.some((l) => l.name === name)) await new Promise((r) => setImmediate(r));
}
