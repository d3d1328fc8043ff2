// One half of a lock-order cycle: takes accounts, then audit.
import { accountsLock, auditLock } from './locks.js';

export function credit(log: string[], amount: number): void {
  accountsLock.lock();
  try {
    auditLock.lock();
    try {
      log.push(`credit ${amount}`);
    } finally {
      auditLock.unlock();
    }
  } finally {
    accountsLock.unlock();
  }
}
