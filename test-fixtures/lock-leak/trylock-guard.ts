// A successful tryLock() kept in a variable must be released on every path, like any other acquisition.
import { Mutex } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });

export function earlyReturnAfterTest(fast: boolean): boolean {
  const g = m.tryLock(); // expect: lock-leak
  if (!g) return false;
  if (fast) return true;
  g.unlock();
  return true;
}

export function earlyReturnInBranch(fast: boolean): boolean {
  const g = m.tryLock(); // expect: lock-leak
  if (g) {
    if (fast) return true;
    g.unlock();
  }
  return true;
}

export function usingReleasesOnEveryPath(fast: boolean): boolean {
  using g = m.tryLock();
  if (!g) return false;
  if (fast) return true;
  return false;
}

export function releasedInFinally(): number {
  const g = m.tryLock();
  if (!g) return 0;
  try {
    return 1;
  } finally {
    g.unlock();
  }
}
