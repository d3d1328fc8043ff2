// Locks taken in a loop and released by a matching loop: in `finally`, over the same array or over the ones taken.
import { Mutex } from '@deadbolt/runtime';

export function lockEach(locks: Mutex[], work: () => void): void {
  for (const lock of locks) lock.lock();
  try {
    work();
  } finally {
    for (const lock of locks) lock.unlock();
  }
}

export function lockReversed(locks: Mutex[], work: () => void): void {
  for (const lock of locks) lock.lock();
  try {
    work();
  } finally {
    for (let i = locks.length - 1; i >= 0; i--) locks[i]!.unlock();
  }
}

export function lockTaken(locks: Mutex[], work: () => void): void {
  const taken: Mutex[] = [];
  try {
    for (const lock of locks) {
      lock.lock();
      taken.push(lock);
    }
    work();
  } finally {
    for (const lock of taken.reverse()) lock.unlock();
  }
}

export function lockWithTimeout(locks: Mutex[], work: () => void): boolean {
  const held: Mutex[] = [];
  for (const lock of locks) {
    if (!lock.tryLock()) {
      held.forEach((h) => h.unlock());
      return false;
    }
    held.push(lock);
  }
  try {
    work();
  } finally {
    held.forEach((h) => h.unlock());
  }
  return true;
}

// Positives: no release loop on some path.

export function forgetOnError(locks: Mutex[], fail: boolean): void {
  for (const lock of locks) lock.lock(); // expect: lock-leak
  if (fail) return;
  for (const lock of locks) lock.unlock();
}

export function neverReleased(locks: Mutex[]): void {
  for (const lock of locks) {
    lock.lock(); // expect: lock-leak
  }
}

export function releasesFirstOnly(locks: Mutex[]): void {
  for (let i = 0; i < locks.length; i++) locks[i]!.lock(); // expect: lock-leak
  locks[0]!.unlock();
}

export function stopsEarly(locks: Mutex[], limit: number): void {
  for (const lock of locks) lock.lock(); // expect: lock-leak
  for (const lock of locks) {
    if (limit-- <= 0) break;
    lock.unlock();
  }
}
