/**
 * A work pipeline on a SharedQueue: two producer workers put jobs into a bounded queue, two consumer workers take
 * them, process them and call taskDone(). The main thread waits with joinAsync() until every job is processed,
 * then sends one `null` per consumer to tell it to stop.
 *
 * Run: node test-fixtures/dist/examples/shared-queue-pipeline.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SharedQueue } from '@deadbolt/runtime';

interface Job {
  producer: number;
  n: number;
}

const PRODUCERS = 2;
const CONSUMERS = 2;
const JOBS_PER_PRODUCER = 500;

function startWorker(data: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

function produce(jobs: SharedQueue<Job | null>, producer: number): string {
  // put() blocks while the queue is full, so a fast producer cannot run ahead of the consumers.
  for (let n = 0; n < JOBS_PER_PRODUCER; n++) jobs.put({ producer, n });
  return `producer ${producer} put ${JOBS_PER_PRODUCER} jobs`;
}

function consume(jobs: SharedQueue<Job | null>, consumer: number): string {
  let processed = 0;
  const lastSeen = new Map<number, number>();
  for (;;) {
    const job = jobs.get();
    if (job === null) break;
    // Jobs from one producer arrive in the order it put them, whichever consumer takes them.
    if ((lastSeen.get(job.producer) ?? -1) >= job.n) throw new Error(`job ${job.producer}/${job.n} out of order`);
    lastSeen.set(job.producer, job.n);
    processed++;
    jobs.taskDone();
  }
  return `consumer ${consumer} processed ${processed} jobs`;
}

if (isMainThread) {
  const jobs = new SharedQueue<Job | null>({ capacity: 16, name: 'jobs' });
  const producers = Array.from({ length: PRODUCERS }, (_, i) => startWorker({ queue: jobs.handle, role: 'produce', i }));
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => startWorker({ queue: jobs.handle, role: 'consume', i }));
  for (const line of await Promise.all(producers)) console.log(line);
  await jobs.joinAsync();
  console.log(`all ${PRODUCERS * JOBS_PER_PRODUCER} jobs processed (join returned); stopping consumers`);
  for (let i = 0; i < CONSUMERS; i++) await jobs.putAsync(null);
  for (const line of await Promise.all(consumers)) console.log(line);
} else {
  const { queue, role, i } = workerData as { queue: SharedQueue['handle']; role: string; i: number };
  const jobs = SharedQueue.from<Job | null>(queue);
  parentPort!.postMessage(role === 'produce' ? produce(jobs, i) : consume(jobs, i));
}
