// A bank whose two locks are taken in opposite orders by transfer() and audit(): a potential deadlock.
import { Mutex } from '@deadbolt/runtime';

export const accounts = new Mutex({ name: 'accounts' });
export const ledger = new Mutex({ name: 'ledger' });

const balances = new Int32Array(new SharedArrayBuffer(8));
const entries: string[] = [];

export function transfer(amount: number): void {
  using _accounts = accounts.lock();
  using _ledger = ledger.lock();
  balances[0] -= amount;
  balances[1] += amount;
  entries.push(`transfer ${amount}`);
}

export function audit(): number {
  using _ledger = ledger.lock();
  using _accounts = accounts.lock();
  entries.push('audit');
  return balances[0] + balances[1];
}
