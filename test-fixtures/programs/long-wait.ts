/**
 * A long wait that is not a deadlock: the main thread holds a lock while it sleeps (blocked) for a long time, and a
 * worker waits for that lock. With `stopOnLongWait` the adapter stops naming the lock and its holder.
 */
import { Mutex, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

/** Far longer than the adapter needs to see the wait on a loaded machine; the test ends the program once it stops. */
const HOLD_MS = 300_000;

if (isMainThread) {
  const ledger = new Mutex({ name: 'ledgerLock' });
  ledger.lock(); // @hold
  new Worker(new URL(import.meta.url), { name: 'auditor', workerData: ledger.handle });
  // Blocks the main thread while holding the lock: the worker's wait grows long.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HOLD_MS);
  ledger.unlock();
} else {
  const ledger = Mutex.from(workerData as MutexHandle);
  ledger.lock(); // @wait
  ledger.unlock();
}
