// A teller worker: moves money from one account to the other, locking the account it pays from, then the one it
// pays into. Two tellers paying in opposite directions take the two locks in opposite orders.
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { workerData } from 'node:worker_threads';

export interface Transfer {
  from: MutexHandle;
  to: MutexHandle;
  balances: SharedArrayBuffer;
  fromIndex: number;
  toIndex: number;
  /** When set, both tellers wait here holding their first lock: the run then deadlocks every time. */
  bothHolding?: BarrierHandle;
}

const transfer = workerData as Transfer;
const from = Mutex.from(transfer.from);
const to = Mutex.from(transfer.to);
const accounts = new Int32Array(transfer.balances);

from.lock();
let amount = 10;
amount += 5;
if (transfer.bothHolding !== undefined) Barrier.from(transfer.bothHolding).wait();
to.lock();
accounts[transfer.fromIndex]! -= amount;
accounts[transfer.toIndex]! += amount;
to.unlock();
from.unlock();
