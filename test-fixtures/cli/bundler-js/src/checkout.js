// The opposite order of restock.js: a deadlock between two workers running one each.
import { inventory, orders } from './locks';

export function checkout() {
  using _orders = orders.lock();
  using _inventory = inventory.lock();
}
