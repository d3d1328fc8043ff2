/**
 * A program that deadlocks for the editor test's debugging step: the main thread and an `auditor` worker take the
 * bank's two locks in opposite orders. First one thread after the other, which deadlocks nothing but shows the
 * debugger a potential deadlock (that opens the lock-graph panel); half a second later both at once, which deadlocks:
 * the adapter stops on the cycle while the panel may still be opening, and the panel must switch to the live view
 * (the deadlock once arrived while VS Code was placing the panel, and lost it). The test copies it into the
 * workspace only for that step, so the static checks before it see just bank.ts.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

interface Shared {
  accounts: MutexHandle;
  ledger: MutexHandle;
  inStep: BarrierHandle;
}

function takeInTurn(first: Mutex, second: Mutex): void {
  first.lock();
  second.lock();
  second.unlock();
  first.unlock();
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function takeBoth(first: Mutex, second: Mutex, inStep: Barrier): void {
  first.lock();
  // Both threads hold their first lock before either asks for its second, so the deadlock happens every run.
  inStep.wait();
  second.lock();
}

if (isMainThread) {
  const accounts = new Mutex({ name: 'accounts' });
  const ledger = new Mutex({ name: 'ledger' });
  const inStep = new Barrier(2);
  const shared: Shared = { accounts: accounts.handle, ledger: ledger.handle, inStep: inStep.handle };
  new Worker(new URL(import.meta.url), { name: 'auditor', workerData: shared });
  takeInTurn(accounts, ledger);
  inStep.wait(); // the auditor takes its turn now
  inStep.wait();
  pause(500);
  takeBoth(accounts, ledger, inStep);
} else {
  const shared = workerData as Shared;
  const [accounts, ledger, inStep] = [Mutex.from(shared.accounts), Mutex.from(shared.ledger), Barrier.from(shared.inStep)];
  inStep.wait(); // after the main thread's turn
  takeInTurn(ledger, accounts);
  inStep.wait();
  pause(500);
  takeBoth(ledger, accounts, inStep);
}
