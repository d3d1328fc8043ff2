// The receiving job: the inbox, then the outbox (to queue a reply).
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const inbox = Mutex.from(workerData.inbox);
const outbox = Mutex.from(workerData.outbox);

inbox.withLock(() => {
  outbox.withLock(() => undefined);
});
