/**
 * The task piscina-abort.ts runs on the pool's threads: under the shared Mutex it moves `amount` from account a to
 * account b, stalling `stallMs` between the two writes, as a slow call made while holding a lock would.
 */
import { Mutex } from '@deadbolt/runtime';

export interface TransferTask {
  accountsLock: Mutex['handle'];
  accounts: SharedArrayBuffer;
  holding: SharedArrayBuffer;
  amount: number;
  stallMs: number;
}

export default function transfer(task: TransferTask): void {
  const accountsLock = Mutex.from(task.accountsLock);
  const balances = new Int32Array(task.accounts);
  accountsLock.withLock(() => {
    balances[0]! -= task.amount;
    const holding = new Int32Array(task.holding);
    Atomics.store(holding, 0, 1);
    Atomics.notify(holding, 0);
    if (task.stallMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, task.stallMs);
    balances[1]! += task.amount;
  });
}
