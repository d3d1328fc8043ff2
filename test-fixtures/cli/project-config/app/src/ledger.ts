// `post` holds the ledger lock and calls `audit`, which takes it again: the spin lock is not re-entrant.
import { SpinLock } from './spin-lock.js';

const ledger = new SpinLock();
const entries: number[] = [];

function audit(): number {
  ledger.lock();
  try {
    return entries.length;
  } finally {
    ledger.unlock();
  }
}

export function post(amount: number): void {
  ledger.lock();
  try {
    entries.push(amount);
    audit();
  } finally {
    ledger.unlock();
  }
}
