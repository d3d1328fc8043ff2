/**
 * A worker that throws while holding a lock, abandoning it. The main thread handles the worker's error and ends
 * normally; the adapter must report the abandoned lock.
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

if (isMainThread) {
  const journal = new Mutex({ name: 'journalLock' });
  const worker = new Worker(new URL(import.meta.url), { name: 'crasher', workerData: journal.handle });
  worker.on('error', (error) => console.log(`worker failed: ${error.message}`));
  await new Promise((resolve) => worker.once('exit', resolve));
  console.log('main done');
} else {
  const journal = Mutex.from(workerData as MutexHandle);
  journal.lock(); // @hold
  throw new Error('disk full while writing the journal');
}
