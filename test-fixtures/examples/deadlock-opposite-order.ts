/**
 * The classic deadlock: two workers move money between the same two accounts, each locking the account it takes
 * from first. Worker 1 holds `checking` and wants `savings`; worker 2 holds `savings` and wants `checking`.
 * Neither can go on; a timeout on the second lock lets the program notice, report it and end.
 *
 * Run: node test-fixtures/dist/examples/deadlock-opposite-order.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Barrier, Mutex, TimeoutError } from '@deadbolt/runtime';

interface Shared {
  checking: Mutex['handle'];
  savings: Mutex['handle'];
  bothHoldOne: Barrier['handle'];
  balances: SharedArrayBuffer;
}

const shared: Shared = isMainThread
  ? {
      checking: new Mutex({ name: 'checking' }).handle,
      savings: new Mutex({ name: 'savings' }).handle,
      bothHoldOne: new Barrier(2).handle,
      balances: new SharedArrayBuffer(8),
    }
  : (workerData as { shared: Shared }).shared;

const checking = Mutex.from(shared.checking);
const savings = Mutex.from(shared.savings);
const bothHoldOne = Barrier.from(shared.bothHoldOne);
const balances = new Int32Array(shared.balances); // [checking, savings]

const SECOND_LOCK_TIMEOUT_MS = 500;

/** Moves money from checking to savings: locks checking, then savings. */
function checkingToSavings(amount: number): string {
  const fromGuard = checking.lock();
  try {
    // Wait until the other worker holds its first lock too, so the deadlock happens every run, not just sometimes.
    bothHoldOne.wait();
    try {
      const toGuard = savings.lock({ timeout: SECOND_LOCK_TIMEOUT_MS });
      try {
        balances[0]! -= amount;
        balances[1]! += amount;
        return 'transferred';
      } finally {
        toGuard.unlock();
      }
    } catch (error) {
      if (error instanceof TimeoutError) return 'timed out waiting for savings while holding checking';
      throw error;
    } finally {
      // Keep the first lock until both attempts are over, so neither worker slips through after the other gives up.
      bothHoldOne.wait();
    }
  } finally {
    fromGuard.unlock();
  }
}

/** Moves money from savings to checking: locks savings, then checking (the opposite order). */
function savingsToChecking(amount: number): string {
  const fromGuard = savings.lock();
  try {
    bothHoldOne.wait();
    try {
      const toGuard = checking.lock({ timeout: SECOND_LOCK_TIMEOUT_MS });
      try {
        balances[1]! -= amount;
        balances[0]! += amount;
        return 'transferred';
      } finally {
        toGuard.unlock();
      }
    } catch (error) {
      if (error instanceof TimeoutError) return 'timed out waiting for checking while holding savings';
      throw error;
    } finally {
      bothHoldOne.wait();
    }
  } finally {
    fromGuard.unlock();
  }
}

if (isMainThread) {
  balances[0] = 100;
  balances[1] = 100;
  const results = await Promise.all(
    ['checkingToSavings', 'savingsToChecking'].map(
      (job) =>
        new Promise<string>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { shared, job } });
          worker.once('message', (m: string) => resolve(`${job}: ${m}`));
          worker.once('error', reject);
        }),
    ),
  );
  for (const line of results) console.log(line);
  const timedOut = results.filter((r) => r.includes('timed out')).length;
  console.log(
    timedOut > 0
      ? `deadlock: ${timedOut} of 2 transfers timed out, each holding the lock the other needed`
      : 'no deadlock this time',
  );
  console.log(`balances: checking ${balances[0]}, savings ${balances[1]}`);
} else {
  const job = (workerData as { job: string }).job;
  parentPort!.postMessage(job === 'checkingToSavings' ? checkingToSavings(10) : savingsToChecking(10));
}
