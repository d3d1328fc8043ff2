// Two accounts guarded by in-house spin locks, taken in opposite orders by two code paths.
import { SpinLock, CountingSpinLock } from './locks/spin-lock.js';

const ledgerLock = new SpinLock();
const auditLock = new SpinLock();

export function postEntry(amount: number): void {
  ledgerLock.lock();
  try {
    console.log('posting', amount);
    auditLock.lock();
    try {
      console.log('audited');
    } finally {
      auditLock.unlock();
    }
  } finally {
    ledgerLock.unlock();
  }
}

export function reconcile(): void {
  auditLock.withLock(() => {
    ledgerLock.withLock(() => { // expect: lock-order
      console.log('reconciled');
    });
  });
}

// The same two locks of a class, in one order everywhere: no cycle.
const inbox = new CountingSpinLock();
const outbox = new CountingSpinLock();

export function forward(): void {
  inbox.withLock(() => outbox.withLock(() => console.log('forwarded')));
}

export function drain(): void {
  inbox.lock();
  outbox.lock();
  outbox.unlock();
  inbox.unlock();
}
