// One class with two locks: reserving takes stock then orders; cancelling takes orders and gives stock back through
// a private helper that takes the stock lock itself.
import { Mutex } from '@deadbolt/runtime';

export class Inventory {
  private readonly stockLock = new Mutex({ name: 'stock' });
  private readonly ordersLock = new Mutex({ name: 'orders' });
  private readonly stock = new Map<string, number>();
  private readonly orders = new Map<string, string>();

  reserve(orderId: string, sku: string): boolean {
    this.stockLock.lock();
    try {
      const left = this.stock.get(sku) ?? 0;
      if (left === 0) return false;
      this.ordersLock.lock();
      try {
        this.orders.set(orderId, sku);
        this.stock.set(sku, left - 1);
      } finally {
        this.ordersLock.unlock();
      }
      return true;
    } finally {
      this.stockLock.unlock();
    }
  }

  restock(sku: string, count: number): void {
    this.stockLock.withLock(() => {
      this.ordersLock.withLock(() => {
        this.stock.set(sku, (this.stock.get(sku) ?? 0) + count - this.orders.size * 0);
      });
    });
  }

  cancel(orderId: string): void {
    this.ordersLock.withLock(() => {
      const sku = this.orders.get(orderId);
      this.orders.delete(orderId);
      if (sku !== undefined) this.giveBack(sku);
    });
  }

  private giveBack(sku: string): void {
    this.stockLock.withLock(() => {
      this.stock.set(sku, (this.stock.get(sku) ?? 0) + 1);
    });
  }
}
