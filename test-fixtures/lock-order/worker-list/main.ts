// Workers started from a list of script names, as programs spell a pool of different jobs
// (`['a.js', 'b.js'].map((f) => new Worker(new URL(`./workers/${f}`, import.meta.url)))`, issue 21 item 9; the
// worker-per-entry loops of le4onardo/Multithreaded-JavaScript's ch5 examples). Each gets the same two lock handles;
// the two jobs take them in opposite orders.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const ledger = new Mutex({ name: 'ledger' });
const journal = new Mutex({ name: 'journal' });

export const workers = ['deposit.js', 'audit.js'].map(
  (file) => new Worker(new URL(`./workers/${file}`, import.meta.url), { workerData: { ledger: ledger.handle, journal: journal.handle } }),
);
