// The deposit job: ledger, then journal.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const ledger = Mutex.from(workerData.ledger);
const journal = Mutex.from(workerData.journal);

ledger.withLock(() => {
  journal.withLock(() => undefined);
});
