// Workers started by pushing one per entry of a named list of scripts, the loop spelling of a pool of different
// jobs (msfrisbie/professional-javascript-for-web-developers-4e Chapter27Workers/.../SharedArrayBufferExample02.js:
// `const workers = []; for (...) { workers.push(new Worker('./worker.js')); }`, here over script names as
// `for (const job of jobs)`). Both jobs get the same two lock handles and take them in opposite orders.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const inbox = new Mutex({ name: 'inbox' });
const outbox = new Mutex({ name: 'outbox' });

const jobs = ['receive.js', 'send.js'];
export const workers: Worker[] = [];
for (const job of jobs) {
  workers.push(new Worker(new URL(`./workers/${job}`, import.meta.url), { workerData: { inbox: inbox.handle, outbox: outbox.handle } }));
}
