// What the main thread hands each transfer worker: the handles of its locks and the balances they guard.
import type { Mutex } from '@deadbolt/runtime';

export interface BankShared {
  accounts: Mutex['handle'];
  ledger: Mutex['handle'];
  balances: Int32Array<SharedArrayBuffer>;
}
