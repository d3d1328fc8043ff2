// Re-taking a lock whose tryLock() guard is still held, and the forms that release or never took it.
import { Mutex } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });

export function retakeWhileGuarded(): void {
  const g = m.tryLock();
  if (g !== undefined) {
    m.withLock(() => {}); // expect: double-lock
    g.unlock();
  }
}

export function retakeAfterUsingGuard(): void {
  {
    using g = m.tryLock();
    if (!g) return;
  }
  m.withLock(() => {});
}

export function retakeWhenTryFailed(): void {
  const g = m.tryLock();
  if (g) {
    g.unlock();
    return;
  }
  m.withLock(() => {});
}

export function usingGuardStillHeld(): void {
  using g = m.tryLock();
  if (g == null) return;
  m.lock(); // expect: double-lock
  m.unlock();
}
