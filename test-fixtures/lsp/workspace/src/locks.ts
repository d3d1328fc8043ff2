// The two locks both transfer halves share: one module, so both files name the same lock objects.
import { Mutex } from '@deadbolt/runtime';

export const accountsLock = new Mutex({ name: 'accounts' });
export const auditLock = new Mutex({ name: 'audit' });
