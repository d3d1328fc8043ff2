// A main thread that writes shared memory from a worker's event handler while the workers write it under a lock
// (issue 21 item 9: `worker.on('exit', () => { balances[0] = 0 })`), in the shape of the Multithreaded JavaScript
// book's bank examples (le4onardo/Multithreaded-JavaScript): a SharedArrayBuffer of balances, one mutex, workers
// started in a loop. The event handler runs on the main thread while the other workers still run.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const balancesLock = new Mutex({ name: 'balances' });
/** @guardedBy balancesLock */
const balances = new Int32Array(new SharedArrayBuffer(16));

// Before any worker exists: initialisation, not a race.
balances[0] = 100;
balances[1] = 100;

for (let i = 0; i < 2; i++) {
  const worker = new Worker(new URL('./teller.js', import.meta.url), { workerData: { lock: balancesLock.handle, balances } });
  worker.on('exit', () => {
    balances[i] = 0; // expect: unguarded-write
  });
  worker.on('error', () => {
    balancesLock.withLock(() => {
      balances[i] = -1;
    });
  });
}
