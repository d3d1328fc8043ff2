// A call that can throw between lock() and unlock() leaves the lock held when it does: the unlock after it never
// runs. try/finally, `using` and withLock release on the way out; a call that cannot throw needs none of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { Mutex, Semaphore } from '@deadbolt/runtime';

const configLock = new Mutex({ name: 'config' });
let config: Record<string, unknown> = {};

export function reloadConfig(path: string): void {
  configLock.lock(); // expect: lock-leak
  config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  configLock.unlock();
}

interface Order {
  id: string;
  quantity: number;
}

function validate(order: Order): void {
  if (order.quantity <= 0) throw new RangeError(`order ${order.id}: quantity must be positive`);
}

const orders: Order[] = [];
const ordersLock = new Mutex({ name: 'orders' });

export function addOrder(order: Order): void {
  ordersLock.lock(); // expect: lock-leak
  validate(order);
  orders.push(order);
  ordersLock.unlock();
}

const diskSlots = new Semaphore(2);

export function saveSnapshot(path: string, data: string): void {
  diskSlots.acquire(); // expect: lock-leak
  writeFileSync(path, data);
  diskSlots.release();
}

class Ledger {
  private readonly lock = new Mutex({ name: 'ledger' });
  private balance = 0;

  private check(amount: number): void {
    if (!Number.isFinite(amount)) throw new TypeError('amount must be a finite number');
  }

  private apply(amount: number): void {
    this.check(amount);
    this.balance += amount;
  }

  deposit(amount: number): void {
    this.lock.lock(); // expect: lock-leak
    this.apply(amount);
    this.lock.unlock();
  }

  // Negatives: released on every way out, or nothing in between can throw.

  depositSafely(amount: number): void {
    this.lock.lock();
    try {
      this.apply(amount);
    } finally {
      this.lock.unlock();
    }
  }

  depositScoped(amount: number): void {
    using _ = this.lock.lock();
    this.apply(amount);
  }

  depositInCallback(amount: number): void {
    this.lock.withLock(() => this.apply(amount));
  }

  depositOrRethrow(amount: number): void {
    this.lock.lock();
    try {
      this.apply(amount);
    } catch (error) {
      this.lock.unlock();
      throw error;
    }
    this.lock.unlock();
  }

  /** Plain arithmetic and a helper that cannot throw. */
  addInterest(rate: number): void {
    this.lock.lock();
    this.balance += Math.round(this.balance * rate);
    this.log(`interest at ${rate}`);
    this.lock.unlock();
  }

  private log(line: string): void {
    console.log(`[ledger] ${line}`);
  }
}

export const ledger = new Ledger();
