// A transfer worker: moves money under the accounts lock and records it under the ledger lock.
import { Mutex } from '@deadbolt/runtime';
import { workerData } from 'node:worker_threads';
import type { BankShared } from './shared.js';

const data = workerData as BankShared;
const accountsLock = Mutex.from(data.accounts);
const ledgerLock = Mutex.from(data.ledger);

function record(): void {
  using _entry = ledgerLock.lock();
  data.balances[2] = data.balances[2]! + 1;
}

export function transfer(from: number, to: number, amount: number): void {
  using _held = accountsLock.lock();
  data.balances[from] = data.balances[from]! - amount;
  data.balances[to] = data.balances[to]! + amount;
  record();
}

export function settle(): void {
  accountsLock.withLock(() => {
    data.balances[0] = 0;
  });
}

export function reset(): void {
  data.balances[0] = 0;
  data.balances[1] = 0;
}

transfer(0, 1, 5);
