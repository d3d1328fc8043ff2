// Work between the two acquisitions keeps them from being swapped; the fix offered instead is lockAll.
import { Mutex } from '@deadbolt/runtime';

const orders = new Mutex({ name: 'orders' });
const stock = new Mutex({ name: 'stock' });
let reserved = 0;

export function reserve(): void {
  using _o = orders.lock();
  using _s = stock.lock();
  reserved++;
}

export function restock(): void {
  using _s = stock.lock();
  reserved = 0;
  using _o = orders.lock(); // expect: lock-order
  reserved++;
}
