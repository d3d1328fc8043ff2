// The audit job: journal, then ledger, the opposite order of the deposit job.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const ledger = Mutex.from(workerData.ledger);
const journal = Mutex.from(workerData.journal);

journal.withLock(() => {
  ledger.withLock(() => undefined); // expect: lock-order
});
