// An adder: adds to its shared total under the lock it was handed, then tells the main thread which slot it used.
import { parentPort, workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const lock = Mutex.from(workerData.lock);
const totals: Int32Array = workerData.totals;
const slot: number = workerData.name;

for (let n = 0; n < 1000; n++) {
  lock.withLock(() => {
    totals[slot] = totals[slot]! + 1;
  });
}
parentPort?.postMessage(slot);
