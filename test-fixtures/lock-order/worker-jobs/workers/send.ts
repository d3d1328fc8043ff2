// The sending job: the outbox, then the inbox (to mark a message answered), the opposite order of the receiver.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const inbox = Mutex.from(workerData.inbox);
const outbox = Mutex.from(workerData.outbox);

outbox.withLock(() => {
  inbox.withLock(() => undefined); // expect: lock-order
});
