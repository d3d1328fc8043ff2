// Two functions take the same two module-level locks in opposite orders: the classic two-thread deadlock.
import { Mutex } from '@deadbolt/runtime';

const lockA = new Mutex({ name: 'lockA' });
const lockB = new Mutex({ name: 'lockB' });

export function first(): void {
  lockA.lock();
  lockB.lock();
  lockB.unlock();
  lockA.unlock();
}

export function second(): void {
  using _b = lockB.lock();
  using _a = lockA.lock(); // expect: lock-order
}
