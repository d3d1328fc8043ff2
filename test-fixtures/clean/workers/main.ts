// Two workers receive the same two locks and both take them in the same order: no cycle across threads.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const first = new Mutex({ name: 'first' });
const second = new Mutex({ name: 'second' });

for (let i = 0; i < 2; i++) {
  new Worker(new URL('./worker.js', import.meta.url), { workerData: { first: first.handle, second: second.handle } });
}
