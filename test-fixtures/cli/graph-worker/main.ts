// The main thread creates the ledger and audit locks and hands them to a worker; both threads take them.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const ledger = new Mutex({ name: 'ledger' });
const audit = new Mutex({ name: 'audit' });

export function post(): void {
  using _l = ledger.lock();
  using _a = audit.lock();
}

const handles = { ledger: ledger.handle, audit: audit.handle };
new Worker(new URL('./worker.js', import.meta.url), { workerData: handles });
