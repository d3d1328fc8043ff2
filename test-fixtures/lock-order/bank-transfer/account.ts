// An account guarded by its own mutex; the mutex travels to workers as a handle.
import { Mutex } from '@deadbolt/runtime';

export class Account {
  readonly mutex: Mutex;
  balance = 0;

  constructor(mutex: Mutex) {
    this.mutex = mutex;
  }
}

/** Locks the payer, then the payee: deadlocks when two threads transfer in opposite directions. */
export function transfer(from: Mutex, to: Mutex, amount: number): number {
  from.lock();
  try {
    to.lock(); // expect: lock-order
    try {
      return amount;
    } finally {
      to.unlock();
    }
  } finally {
    from.unlock();
  }
}
