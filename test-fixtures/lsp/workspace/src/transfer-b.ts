// The other half of the cycle: takes audit, then accounts, the opposite order of transfer-a.ts.
import { accountsLock, auditLock } from './locks.js';

export function review(log: string[]): number {
  auditLock.lock();
  try {
    accountsLock.lock();
    try {
      return log.length;
    } finally {
      accountsLock.unlock();
    }
  } finally {
    auditLock.unlock();
  }
}
