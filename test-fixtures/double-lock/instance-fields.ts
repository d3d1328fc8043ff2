// `this.mutex` and `other.mutex` may be two objects of one class: taking both is no double-lock (lock-order
// judges it); taking `this.mutex` twice is.
import { Mutex } from '@deadbolt/runtime';

export class Account {
  readonly mutex = new Mutex({ name: 'account' });
  private balance = 0;

  transferTo(other: Account, amount: number): void {
    using _mine = this.mutex.lock();
    using _theirs = other.mutex.lock();
    this.balance -= amount;
    other.balance += amount;
  }

  depositTwice(amount: number): void {
    using _first = this.mutex.lock();
    using _again = this.mutex.lock(); // expect: double-lock
    this.balance += amount;
  }
}
