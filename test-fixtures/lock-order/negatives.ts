// Orders that look inverted but cannot deadlock: none of these may be reported.
import { Mutex, RecursiveMutex, lockAll } from '@deadbolt/runtime';

const a = new Mutex({ name: 'a' });
const b = new Mutex({ name: 'b' });

/** The reference order: b, then a. */
export function reference(): void {
  using _b = b.lock();
  using _a = a.lock();
}

/** A try-acquisition never waits, so it adds no order edge. */
export function tryInner(): void {
  using _a = a.lock();
  if (b.tryLock()) {
    b.unlock();
  }
}

/** lockAll takes both in the global order. */
export function together(): void {
  lockAll([a, b], () => {});
}

/** Released before the other is taken: never held together. */
export function sequential(): void {
  a.lock();
  a.unlock();
  b.lock();
  b.unlock();
}

/** A deferred callback runs later, without what its creator held. */
export function deferred(): void {
  using _a = a.lock();
  setTimeout(() => {
    using _b = b.lock();
  }, 10);
}

/** A guard released early by `guard.unlock()`. */
export function guardReleased(): void {
  const guard = a.lock();
  guard.unlock();
  using _b = b.lock();
}

const reentrant = new RecursiveMutex({ name: 'reentrant' });

/** Re-entering a recursive mutex is not an order between two locks. */
export function recursive(): void {
  using _r1 = reentrant.lock();
  using _r2 = reentrant.lock();
}

/** An event listener does not inherit the lock held when it was registered. */
export function listener(target: EventTarget): void {
  using _a = a.lock();
  target.addEventListener('ping', () => {
    b.withLock(() => {});
  });
}
