// Declared ranks make an inversion an error on its own: `low` (rank 1) is taken while `high` (rank 2) is held.
import { Mutex } from '@deadbolt/runtime';

const low = new Mutex({ name: 'low', rank: 1 });
const high = new Mutex({ name: 'high', rank: 2 });
const top = new Mutex({ name: 'top', rank: 3 });

export function inverted(): void {
  using _h = high.lock();
  using _l = low.lock(); // expect: lock-order
}

/** Increasing ranks are the declared order: fine. */
export function increasing(): void {
  using _h = high.lock();
  using _t = top.lock();
}

/** The same pair in rank order: with `inverted` it is a cycle, still reported once, where the ranks are broken. */
export function ordered(): void {
  using _l = low.lock();
  using _h = high.lock();
}
