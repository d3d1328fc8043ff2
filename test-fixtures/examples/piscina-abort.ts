/**
 * A piscina pool task is aborted while it holds a Deadbolt Mutex: piscina ends the task's thread, and the lock does
 * not stay held by a thread that no longer exists. The next locker gets OwnerDiedError with the lock held, checks
 * what the lock guards (two account balances that must add up to 100), repairs it, marks the lock consistent, and
 * the pool carries on. The thread management here is piscina's own: the example only aborts a task it started.
 *
 * Run: node test-fixtures/dist/examples/piscina-abort.js
 */
import { Piscina } from 'piscina';
import { Mutex, OwnerDiedError } from '@deadbolt/runtime';
import type { TransferTask } from './piscina-abort-task.js';

const accountsLock = new Mutex({ name: 'accounts' });
const accounts = new SharedArrayBuffer(8); // [a, b], always a + b = 100 while nobody holds the lock
const holding = new SharedArrayBuffer(4); // set by a task once it holds the lock
const balances = new Int32Array(accounts);
balances[0] = 100;
const pool = new Piscina<TransferTask, void>({ filename: new URL('./piscina-abort-task.js', import.meta.url).href, maxThreads: 2 });

try {
  // A transfer that stalls half-way (a slow call while holding the lock), and is aborted there.
  const abort = new AbortController();
  const stalled = pool.run({ accountsLock: accountsLock.handle, accounts, holding, amount: 10, stallMs: 60_000 }, { signal: abort.signal });
  const flag = new Int32Array(holding);
  const told = Atomics.waitAsync(flag, 0, 0, 30_000);
  if (told.async) await told.value;
  abort.abort();
  await stalled.catch((error: Error) => console.log(`transfer aborted half-way (${error.name}): piscina ended the thread that held '${accountsLock.name}'`));

  try {
    await accountsLock.lockAsync({ timeout: 30_000 });
  } catch (error) {
    if (!(error instanceof OwnerDiedError)) throw error;
    console.log(`lockAsync: ${error.name}: ${error.message.split(';')[0]}`);
    console.log(`found a=${balances[0]} b=${balances[1]} (sum ${balances[0]! + balances[1]!})`);
    balances[1] = 100 - balances[0]!; // the repair: complete the half-done transfer
    accountsLock.markConsistent();
  }
  accountsLock.unlock();
  console.log(`repaired a=${balances[0]} b=${balances[1]} (sum ${balances[0]! + balances[1]!})`);

  await pool.run({ accountsLock: accountsLock.handle, accounts, holding, amount: 10, stallMs: 0 });
  console.log(`next transfer a=${balances[0]} b=${balances[1]} (sum ${balances[0]! + balances[1]!})`);
} finally {
  await pool.destroy();
}
