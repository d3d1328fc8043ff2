// A lock taken with tryLock() into a guard variable is held where the guard is known to exist.
import { Mutex } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });
const n = new Mutex({ name: 'n' });

export function guardInBranch(): void {
  const g = m.tryLock();
  if (g) {
    using _n = n.lock();
    g.unlock();
  }
}

export function otherOrder(): void {
  using _n = n.lock();
  using _m = m.lock(); // expect: lock-order
}

export function releasedBeforeNext(): void {
  const g = m.tryLock();
  if (g === undefined) return;
  g.unlock();
  using _n = n.lock();
}

export function failedBranchHoldsNothing(): void {
  const g = m.tryLock();
  if (!g) {
    using _n = n.lock();
    return;
  }
  g.unlock();
}
