// Two objects of one class locked through `this` and a parameter: with the objects swapped the same method
// deadlocks (a.transferTo(b) || b.transferTo(a)). The same field twice on one object, or ordered by id, is not.
import { Mutex, lockAll } from '@deadbolt/runtime';

export class Account {
  readonly mutex = new Mutex({ name: 'account' });
  readonly id: number;
  private balance = 0;

  constructor(id: number) {
    this.id = id;
  }

  transferTo(other: Account, amount: number): void {
    using _mine = this.mutex.lock();
    using _theirs = other.mutex.lock(); // expect: lock-order
    this.balance -= amount;
    other.balance += amount;
  }

  transferSafely(other: Account, amount: number): void {
    lockAll([this.mutex, other.mutex], () => {
      this.balance -= amount;
      other.balance += amount;
    });
  }

  deposit(amount: number): void {
    using _ = this.mutex.lock();
    this.balance += amount;
  }
}

export class Ledger {
  readonly mutex = new Mutex({ name: 'ledger' });
  readonly audit = new Mutex({ name: 'audit' });

  post(): void {
    using _l = this.mutex.lock();
    using _a = this.audit.lock();
  }

  review(): void {
    using _l = this.mutex.lock();
    using _a = this.audit.lock();
  }
}
