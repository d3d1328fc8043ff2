// A plain Mutex taken twice by the same thread: lock() throws DeadlockError, lockAsync() waits for itself.
import { Mutex, RecursiveMutex, Semaphore, lockAll } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });
const other = new Mutex({ name: 'other' });

export function twice(): void {
  m.lock();
  m.lock(); // expect: double-lock
  m.unlock();
  m.unlock();
}

export function usingTwice(): void {
  using _a = m.lock();
  using _b = m.lock(); // expect: double-lock
}

export function insideWithLock(): void {
  m.withLock(() => {
    m.withLock(() => {}); // expect: double-lock
  });
}

export async function asyncTwice(): Promise<void> {
  await using _a = await m.lockAsync();
  await using _b = await m.lockAsync(); // expect: double-lock
}

export function throughAlias(): void {
  const alias = m;
  using _a = m.lock();
  using _b = alias.lock(); // expect: double-lock
}

export function lockAllWhileHolding(): void {
  using _a = m.lock();
  lockAll([m, other], () => {}); // expect: double-lock
}

// ---- not double locks ----

export function afterRelease(): void {
  m.lock();
  m.unlock();
  m.lock();
  m.unlock();
}

export function tryWhileHolding(): void {
  using _a = m.lock();
  if (m.tryLock()) m.unlock();
}

const reentrant = new RecursiveMutex({ name: 'reentrant' });

export function recursiveIsFine(): void {
  using _a = reentrant.lock();
  using _b = reentrant.lock();
}

const permits = new Semaphore(2);

// Two threads that each hold one permit and wait for a second hold both permits and wait forever.
export function semaphoreTwice(): void {
  permits.acquire();
  permits.acquire(); // expect: double-lock
  permits.release();
  permits.release();
}

export function twoLocks(): void {
  using _a = m.lock();
  using _b = other.lock();
}

export function deferredRetake(): void {
  using _a = m.lock();
  queueMicrotask(() => {
    using _b = m.lock();
  });
}

export function guardReleased(): void {
  const guard = m.lock();
  guard.unlock();
  using _b = m.lock();
}

export function branchRelease(flag: boolean): void {
  m.lock();
  if (flag) {
    m.unlock();
    return;
  }
  m.unlock();
  m.lock();
  m.unlock();
}
