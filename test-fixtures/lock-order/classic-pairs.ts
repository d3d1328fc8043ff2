// Written the way most people first write it: lock one, do some work, lock the other, unlock both, with `review`
// taking the two mutexes the other way round from `sell`.
import { Mutex } from '@deadbolt/runtime';

const inventory = new Mutex({ name: 'inventory' });
const ledger = new Mutex({ name: 'ledger' });
const entries: string[] = [];
let stock = 10;

export function sell(qty: number): void {
  inventory.lock();
  console.log('selling', qty);
  stock -= qty;
  ledger.lock();
  entries.push(`sold ${qty}`);
  ledger.unlock();
  inventory.unlock();
}

export function review(): void {
  ledger.lock();
  console.log('reviewing', entries.length, 'entries');
  inventory.lock(); // expect: lock-order
  console.log('stock is', stock);
  inventory.unlock();
  ledger.unlock();
}
