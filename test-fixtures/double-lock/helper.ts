// A helper that re-takes its caller's lock: fine alone, a self-deadlock when called under the lock.
import { Mutex } from '@deadbolt/runtime';

export class Inventory {
  private readonly mutex = new Mutex({ name: 'inventory' });
  private count = 0;

  add(n: number): void {
    using _ = this.mutex.lock();
    this.count += n;
  }

  restock(): void {
    using _ = this.mutex.lock();
    this.add(10); // expect: double-lock
  }

  /** Calls add() without holding the lock: fine. */
  restockLater(): void {
    this.add(5);
  }
}

const forks: Mutex[] = Array.from({ length: 3 }, () => new Mutex());

/** Two different elements of one array are two locks, not one taken twice. */
export function neighbours(i: number): void {
  using _a = forks[i]!.lock();
  using _b = forks[i + 1]!.lock();
}

export function sameElement(i: number): void {
  using _a = forks[i]!.lock();
  using _b = forks[i]!.lock(); // expect: double-lock
}
