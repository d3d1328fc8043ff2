// A cycle of three: a -> b, b -> c, c -> a. No two functions disagree on a pair, yet the three together deadlock.
import { Mutex } from '@deadbolt/runtime';

const a = new Mutex({ name: 'a' });
const b = new Mutex({ name: 'b' });
const c = new Mutex({ name: 'c' });

export function ab(): void {
  using _a = a.lock();
  using _b = b.lock();
}

export function bc(): void {
  using _b = b.lock();
  using _c = c.lock();
}

export function ca(): void {
  using _c = c.lock();
  using _a = a.lock(); // expect: lock-order
}
