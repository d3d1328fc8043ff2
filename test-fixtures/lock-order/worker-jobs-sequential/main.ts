// The worker loop of ../worker-jobs (a `workers.push(new Worker(...))` per entry of a named list of scripts, as in
// msfrisbie/professional-javascript-for-web-developers-4e's SharedArrayBufferExample02.js) with the sending job fixed
// the usual way: it takes the outbox, lets it go, then takes the inbox. No lock is taken while holding another in
// that job, so there is no cycle.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const inbox = new Mutex({ name: 'inbox' });
const outbox = new Mutex({ name: 'outbox' });

const jobs = ['receive.js', 'send.js'];
export const workers: Worker[] = [];
for (const job of jobs) {
  workers.push(new Worker(new URL(`./workers/${job}`, import.meta.url), { workerData: { inbox: inbox.handle, outbox: outbox.handle } }));
}
