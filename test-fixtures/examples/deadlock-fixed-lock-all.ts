/**
 * The bank transfer from deadlock-opposite-order, fixed: each transfer takes both account locks with lockAll,
 * which always acquires them in one global order, so two opposite transfers can no longer wait on each other.
 *
 * Run: node test-fixtures/dist/examples/deadlock-fixed-lock-all.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { lockAll, Mutex } from '@deadbolt/runtime';

interface Shared {
  checking: Mutex['handle'];
  savings: Mutex['handle'];
  balances: SharedArrayBuffer;
}

const shared: Shared = isMainThread
  ? {
      checking: new Mutex({ name: 'checking' }).handle,
      savings: new Mutex({ name: 'savings' }).handle,
      balances: new SharedArrayBuffer(8),
    }
  : (workerData as { shared: Shared }).shared;

const checking = Mutex.from(shared.checking);
const savings = Mutex.from(shared.savings);
const balances = new Int32Array(shared.balances); // [checking, savings]

const TRANSFERS = 10_000;

function checkingToSavings(amount: number): void {
  lockAll([checking, savings], () => {
    balances[0]! -= amount;
    balances[1]! += amount;
  });
}

function savingsToChecking(amount: number): void {
  // Listing the locks in the opposite order is fine: lockAll sorts them before taking any.
  lockAll([savings, checking], () => {
    balances[1]! -= amount;
    balances[0]! += amount;
  });
}

if (isMainThread) {
  balances[0] = 1000;
  balances[1] = 1000;
  const jobs = ['checkingToSavings', 'savingsToChecking'];
  await Promise.all(
    jobs.map(
      (job) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { shared, job } });
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  console.log(`${jobs.length} workers made ${TRANSFERS} opposite transfers each with lockAll: no deadlock`);
  console.log(`balances: checking ${balances[0]}, savings ${balances[1]}, total ${balances[0]! + balances[1]!}`);
} else {
  const transfer = (workerData as { job: string }).job === 'checkingToSavings' ? checkingToSavings : savingsToChecking;
  for (let i = 0; i < TRANSFERS; i++) transfer(1);
  parentPort!.postMessage('done');
}
