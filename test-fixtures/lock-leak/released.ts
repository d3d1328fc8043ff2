// Every path releases: try/finally, using, withLock, guards, returning the guard, acquire helpers.
import { Mutex, type LockGuard } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });

export function tryFinally(skip: boolean): number {
  m.lock();
  try {
    if (skip) return 0;
    return 1;
  } finally {
    m.unlock();
  }
}

export function withUsing(value: number): number {
  using _ = m.lock();
  if (value < 0) throw new RangeError('negative');
  return value;
}

export function withCallback(): number {
  return m.withLock(() => 42);
}

export function guardReleased(skip: boolean): void {
  const guard = m.lock();
  if (skip) {
    guard.unlock();
    return;
  }
  guard.unlock();
}

/** Returning the guard hands the lock to the caller. */
export function acquire(): LockGuard {
  return m.lock();
}

export function useAcquire(): void {
  const guard = acquire();
  guard.unlock();
}

/** An acquire helper paired with a release helper; the caller releases on every path. */
function enter(): void {
  m.lock();
}

function leave(): void {
  m.unlock();
}

export function paired(skip: boolean): void {
  enter();
  try {
    if (skip) return;
  } finally {
    leave();
  }
}

export function tryLockReleased(): boolean {
  if (!m.tryLock()) return false;
  try {
    return true;
  } finally {
    m.unlock();
  }
}

export function catchAndRelease(): void {
  m.lock();
  try {
    JSON.parse('{');
  } catch {
    // ignored
  }
  m.unlock();
}

export async function asyncUsing(): Promise<void> {
  await using _ = await m.lockAsync();
}

/** Named for acquiring: returns holding the lock by design, like the runtime's own lock(). */
export function acquireBoth(other: Mutex): void {
  m.lock();
  other.lock();
}

/** Lends the caller's lock out and takes it back, as a condition wait does: nothing new is held at the end. */
function pause(): void {
  m.unlock();
  m.lock();
}

export function pauseInside(): void {
  m.lock();
  try {
    pause();
  } finally {
    m.unlock();
  }
}

/** A pending async acquisition kept as a promise is not followed; nothing is reported for it. */
export function pending(): Promise<LockGuard> {
  return m.lockAsync().then((guard) => guard);
}
