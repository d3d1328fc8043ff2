/**
 * A whole program for the keep-alive test, run as `node keep-alive-main.js --run`: its only pending work is a
 * lockAsync waiting for a lock that an unref'd worker releases once this thread's loop has nothing else to do.
 * It must print "acquired" and exit 0; without the keep-alive it would exit silently first.
 * (Without --run, e.g. when the test runner scans the folder, it does nothing.)
 */

import { once } from 'node:events';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '../../src/index.js';

if (isMainThread && process.argv.includes('--run')) {
  const mutex = new Mutex({ name: 'keep-alive' });
  const go = new Int32Array(new SharedArrayBuffer(4));
  const holder = new Worker(new URL(import.meta.url), { workerData: { mutex: mutex.handle, go: go.buffer } });
  await once(holder, 'message');
  holder.unref();
  void mutex.lockAsync().then((guard) => {
    guard.unlock();
    console.log('acquired');
  });
  // Release the holder only after two more turns of an otherwise empty loop.
  setImmediate(() =>
    setImmediate(() => {
      Atomics.store(go, 0, 1);
      Atomics.notify(go, 0);
    }),
  );
} else if (!isMainThread && parentPort !== null) {
  const job = workerData as { mutex: MutexHandle; go: SharedArrayBuffer };
  const mutex = Mutex.from(job.mutex);
  const go = new Int32Array(job.go);
  mutex.lock();
  parentPort.postMessage('held');
  Atomics.wait(go, 0, 0);
  mutex.unlock();
}
