// State declared @guardedBy: every write must hold the named lock.
import { Mutex } from '@deadbolt/runtime';

export class Account {
  private readonly mutex = new Mutex({ name: 'account' });
  /** @guardedBy mutex */
  private balance = 0;
  /** @guardedBy mutex */
  private readonly history: number[] = [];

  constructor(opening: number) {
    this.balance = opening;
  }

  deposit(amount: number): void {
    using _ = this.mutex.lock();
    this.balance += amount;
    this.history.push(amount);
  }

  withdraw(amount: number): void {
    this.balance -= amount; // expect: unguarded-write
    this.history.push(-amount); // expect: unguarded-write
  }

  reset(): void {
    this.mutex.withLock(() => {
      this.balance = 0;
    });
    this.balance++; // expect: unguarded-write
  }

  /** Called only under the lock (from audit): the caller's lock counts. */
  private adjust(): void {
    this.balance *= 2;
  }

  audit(): void {
    using _ = this.mutex.lock();
    this.adjust();
  }

  afterRelease(): void {
    const guard = this.mutex.lock();
    guard.unlock();
    this.balance = 1; // expect: unguarded-write
  }

  transferFrom(other: Account, amount: number): void {
    using _ = this.mutex.lock();
    other.balance -= amount; // expect: unguarded-write
    this.balance += amount;
  }
}

const statsLock = new Mutex({ name: 'statsLock' });
/** @guardedBy statsLock */
let hits = 0;

export function hit(): void {
  statsLock.withLock(() => {
    hits++;
  });
}

export function hitFast(): void {
  hits++; // expect: unguarded-write
}

export function hitTry(): void {
  if (statsLock.tryLock()) {
    hits += 1;
    statsLock.unlock();
  } else {
    hits += 1; // expect: unguarded-write
  }
}
