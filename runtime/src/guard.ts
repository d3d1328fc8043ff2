/**
 * LockGuard: what lock() returns. Each lock instance owns exactly one guard (per thread, since instances are
 * thread-local), so locking allocates nothing; `using _ = m.lock()` releases at scope exit.
 */

/** Anything a guard can release. */
export interface Unlockable {
  unlock(): void;
}

export class LockGuard implements Disposable {
  // TypeScript-private rather than #private: `m.lock().unlock()` reads it on every call, and V8 loads plain fields faster.
  private readonly lock: Unlockable;

  constructor(lock: Unlockable) {
    this.lock = lock;
  }

  /** Releases the lock once. The guard is shared by every acquisition, so release each acquisition once only. */
  unlock(): void {
    this.lock.unlock();
  }

  [Symbol.dispose](): void {
    this.lock.unlock();
  }
}
