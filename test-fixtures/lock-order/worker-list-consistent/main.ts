// The worker list of ../worker-list with both jobs taking the two locks in one order: no cycle, nothing to report.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const ledger = new Mutex({ name: 'ledger' });
const journal = new Mutex({ name: 'journal' });

export const workers = ['deposit.js', 'audit.js'].map(
  (file) => new Worker(new URL(`./workers/${file}`, import.meta.url), { workerData: { ledger: ledger.handle, journal: journal.handle } }),
);
