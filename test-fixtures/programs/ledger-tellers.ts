/**
 * Correct, busy locking: four tellers post to one ledger under a Mutex, tens of thousands of times each, so the
 * lock is contended and the locking code gets optimised. Nothing deadlocks; under the adapter every release must be
 * seen (no stale holds, no false deadlock) and the program must end with the right balance.
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const TELLERS = 4;
const POSTINGS = 20_000;

interface Books {
  ledger: MutexHandle;
  balance: SharedArrayBuffer;
}

if (isMainThread) {
  const ledger = new Mutex({ name: 'ledger' });
  const balance = new SharedArrayBuffer(4);
  const books: Books = { ledger: ledger.handle, balance };
  const tellers = Array.from({ length: TELLERS }, (_, i) => new Worker(new URL(import.meta.url), { name: `teller-${i}`, workerData: books }));
  await Promise.all(tellers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  console.log(`balance ${new Int32Array(balance)[0]}`);
} else {
  const { ledger: handle, balance } = workerData as Books;
  const ledger = Mutex.from(handle);
  const cells = new Int32Array(balance);
  for (let i = 0; i < POSTINGS; i++) {
    ledger.lock();
    cells[0] = cells[0]! + 1;
    ledger.unlock();
  }
}
