// One class, two instances: a.transferTo(b) and b.transferTo(a) take the two instances' mutexes in opposite orders.
import { Mutex } from '@deadbolt/runtime';

class Account {
  private readonly mutex = new Mutex();
  private balance = 100;

  transferTo(other: Account, amount: number): void {
    using _mine = this.mutex.lock();
    using _theirs = other.mutex.lock(); // expect: lock-order
    this.balance -= amount;
    other.balance += amount;
  }
}

const checking = new Account();
const savings = new Account();

export function payRent(): void {
  checking.transferTo(savings, 10);
}

export function refund(): void {
  savings.transferTo(checking, 10);
}
