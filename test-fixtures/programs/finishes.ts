/**
 * A program that uses locks correctly and ends: two workers increment a shared counter under a Mutex, the main
 * thread waits for both asynchronously and prints the total. Under the adapter: output, then exited and terminated.
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const ROUNDS = 2000;

interface Shared {
  lock: MutexHandle;
  counter: SharedArrayBuffer;
}

if (isMainThread) {
  const lock = new Mutex({ name: 'counterLock' });
  const counter = new SharedArrayBuffer(4);
  const shared: Shared = { lock: lock.handle, counter };
  const workers = [0, 1].map((i) => new Worker(new URL(import.meta.url), { name: `adder-${i}`, workerData: shared }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  console.log(`total ${new Int32Array(counter)[0]}`);
} else {
  const { lock: handle, counter } = workerData as Shared;
  const lock = Mutex.from(handle);
  const cells = new Int32Array(counter);
  for (let i = 0; i < ROUNDS; i++) {
    lock.withLock(() => {
      cells[0] = cells[0]! + 1;
    });
  }
}
