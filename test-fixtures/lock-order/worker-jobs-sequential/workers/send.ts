// The sending job, one lock at a time: the outbox to take a message, then the inbox to mark it answered.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const inbox = Mutex.from(workerData.inbox);
const outbox = Mutex.from(workerData.outbox);

const sent = outbox.withLock(() => 1);
inbox.withLock(() => sent);
