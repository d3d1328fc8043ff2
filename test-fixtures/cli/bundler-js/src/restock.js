// Extensionless imports, as bundler resolution allows: they must be followed to see which lock is which.
import { inventory, orders } from './locks';

export function restock() {
  using _inventory = inventory.lock();
  using _orders = orders.lock();
}
