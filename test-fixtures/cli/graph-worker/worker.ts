// The worker rebuilds the locks from their handles: the same two locks as the main thread's, not two more.
import { workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '@deadbolt/runtime';

const { ledger: ledgerHandle } = workerData as { ledger: MutexHandle; audit: MutexHandle };
const ledger = Mutex.from(ledgerHandle);
const audit = Mutex.from((workerData as { audit: MutexHandle }).audit);

export function reconcile(): void {
  using _a = audit.lock();
  using _l = ledger.lock();
}
