// Balances in shared memory, changed under one lock; every transfer is journalled while the balances are held.
import { Mutex } from '@deadbolt/runtime';
import { appendEntry } from './journal.js';

export const balancesLock = new Mutex({ name: 'balances' });
export const balances = new Int32Array(new SharedArrayBuffer(64 * Int32Array.BYTES_PER_ELEMENT));

export function snapshot(): number[] {
  return balancesLock.withLock(() => Array.from(balances));
}

export function transfer(from: number, to: number, amount: number): void {
  balancesLock.withLock(() => {
    balances[from] = balances[from]! - amount;
    balances[to] = balances[to]! + amount;
    appendEntry(`${from}->${to}:${amount}`);
  });
}

export function deposit(account: number, amount: number): void {
  balancesLock.withLock(() => {
    balances[account] = balances[account]! + amount;
    appendEntry(`deposit ${account}:${amount}`);
  });
}
