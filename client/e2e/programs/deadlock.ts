/**
 * A program that deadlocks for the editor test's debugging step: the main thread and an `auditor` worker take the
 * bank's two locks in opposite orders. Run under the `deadbolt` debugger, the adapter stops on the cycle and the
 * lock-graph panel switches to the live view. The test copies it into the workspace only for that step, so the
 * static checks before it see just bank.ts.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

interface Shared {
  accounts: MutexHandle;
  ledger: MutexHandle;
  bothHoldOne: BarrierHandle;
}

function takeBoth(first: Mutex, second: Mutex, bothHoldOne: Barrier): void {
  first.lock();
  // Both threads hold their first lock before either asks for its second, so the deadlock happens every run.
  bothHoldOne.wait();
  second.lock();
}

if (isMainThread) {
  const accounts = new Mutex({ name: 'accounts' });
  const ledger = new Mutex({ name: 'ledger' });
  const bothHoldOne = new Barrier(2);
  const shared: Shared = { accounts: accounts.handle, ledger: ledger.handle, bothHoldOne: bothHoldOne.handle };
  new Worker(new URL(import.meta.url), { name: 'auditor', workerData: shared });
  takeBoth(accounts, ledger, bothHoldOne);
} else {
  const shared = workerData as Shared;
  takeBoth(Mutex.from(shared.ledger), Mutex.from(shared.accounts), Barrier.from(shared.bothHoldOne));
}
