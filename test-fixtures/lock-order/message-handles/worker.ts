// Rebuilds the posted locks and nests them in the order it was given.
import { parentPort } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '@deadbolt/runtime';

parentPort?.on('message', (message: { outer: MutexHandle; inner: MutexHandle }) => {
  const outer = Mutex.from(message.outer);
  const inner = Mutex.from(message.inner);
  outer.withLock(() => {
    inner.withLock(() => {}); // expect: lock-order
  });
});
