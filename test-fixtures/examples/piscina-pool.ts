/**
 * A piscina worker pool whose tasks share one Deadbolt Mutex: every task adds to a shared ledger of totals, and
 * the mutex keeps each update (read both totals, write both) whole. The pool comes from piscina; the lock's handle
 * travels to the pool's threads inside each task's data.
 *
 * Run: node test-fixtures/dist/examples/piscina-pool.js
 */
import { Piscina } from 'piscina';
import { Mutex } from '@deadbolt/runtime';
import type { LedgerTask } from './piscina-pool-task.js';

const TASKS = 40;
const ENTRIES_PER_TASK = 500;

const ledgerLock = new Mutex({ name: 'ledger' });
const ledger = new SharedArrayBuffer(8); // [entries, sum]
const pool = new Piscina<LedgerTask, number>({
  filename: new URL('./piscina-pool-task.js', import.meta.url).href,
  maxThreads: 4,
});
try {
  const tasks = Array.from({ length: TASKS }, (_, i) =>
    pool.run({ ledgerLock: ledgerLock.handle, ledger, amount: i + 1, entries: ENTRIES_PER_TASK }),
  );
  const threadIds = new Set(await Promise.all(tasks));
  const [entries, sum] = new Int32Array(ledger);
  const expectedSum = ENTRIES_PER_TASK * ((TASKS * (TASKS + 1)) / 2);
  console.log(`${TASKS} tasks on ${threadIds.size} pool threads (max 4) shared Mutex '${ledgerLock.name}'`);
  console.log(`ledger: ${entries} entries (expected ${TASKS * ENTRIES_PER_TASK}), sum ${sum} (expected ${expectedSum})`);
} finally {
  await pool.destroy();
}
