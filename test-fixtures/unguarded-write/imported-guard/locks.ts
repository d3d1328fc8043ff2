// The lock that guards state declared in another module.
import { Mutex } from '@deadbolt/runtime';

export const ledgerLock = new Mutex({ name: 'ledger' });
