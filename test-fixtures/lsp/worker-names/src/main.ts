// Starts two transfer workers and audits the balances, taking the bank's locks in the opposite order.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';
import { Audit } from './audit.js';
import type { BankShared } from './shared.js';

const accounts = new Mutex({ name: 'accounts' });
const ledger = new Mutex({ name: 'ledger' });
const shared: BankShared = { accounts: accounts.handle, ledger: ledger.handle, balances: new Int32Array(new SharedArrayBuffer(16)) };

for (let i = 0; i < 2; i++) new Worker(path.join(import.meta.dirname, 'transfer-worker.js'), { workerData: shared });

const s37 = new Audit();

export function audit(): number {
  using _ledger = ledger.lock();
  using _accounts = accounts.lock();
  return s37.count(shared.balances);
}

audit();
