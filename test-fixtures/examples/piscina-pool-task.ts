/**
 * The task that piscina-pool.ts runs on the pool's threads: it rebuilds the shared Mutex from its handle and
 * records its entries in the shared ledger under the lock.
 */
import { threadId } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

export interface LedgerTask {
  ledgerLock: Mutex['handle'];
  ledger: SharedArrayBuffer;
  amount: number;
  entries: number;
}

/** Records `entries` entries of `amount`; returns the pool thread's id so the example can count threads used. */
export default function recordEntries(task: LedgerTask): number {
  const ledgerLock = Mutex.from(task.ledgerLock);
  const ledger = new Int32Array(task.ledger);
  for (let i = 0; i < task.entries; i++) {
    ledgerLock.withLock(() => {
      ledger[0]! += 1;
      ledger[1]! += task.amount;
    });
  }
  return threadId;
}
