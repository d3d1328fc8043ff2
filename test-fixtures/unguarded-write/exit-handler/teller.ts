// A teller: moves money between the shared balances under the lock it was handed.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const lock = Mutex.from(workerData.lock);
const balances: Int32Array = workerData.balances;

for (let n = 0; n < 1000; n++) {
  lock.withLock(() => {
    balances[0] = balances[0]! - 1;
    balances[1] = balances[1]! + 1;
  });
}
