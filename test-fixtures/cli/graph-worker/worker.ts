// The worker rebuilds the locks from their handles in a helper and destructures what it returns: the same two locks
// as the main thread's, not two more with the same names.
import { workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '@deadbolt/runtime';

interface Handles {
  ledger: MutexHandle;
  audit: MutexHandle;
}

function open(handles: Handles) {
  const ledger = Mutex.from(handles.ledger);
  return { ledger, audit: Mutex.from(handles.audit) };
}

const { ledger, audit } = open(workerData as Handles);

export function reconcile(): void {
  using _a = audit.lock();
  using _l = ledger.lock();
}
