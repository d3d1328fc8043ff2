// Rebuilds the locks from their handles and takes them first-then-second, like every other thread.
import { workerData } from 'node:worker_threads';
import { Mutex, lockAll } from '@deadbolt/runtime';

const first = Mutex.from(workerData.first);
const second = Mutex.from(workerData.second);

export function step(): void {
  first.withLock(() => {
    second.withLock(() => {});
  });
  lockAll([second, first], () => {});
}

step();
