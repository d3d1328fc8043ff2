/**
 * lockAll / lockAllAsync: take several locks without risking deadlock, by always taking them in one global
 * order (rank, then id; unranked after ranked). Ids are unique across the process, so every thread computes
 * the same order whatever order its caller listed the locks in; duplicates are taken once.
 */

import { blockingCallNotAllowed, blockingForbidden } from './blocking.js';
import { OwnerDiedError } from './errors.js';
import { describeValue } from './handle.js';
import type { AsyncWaitOptions, WaitOptions } from './options.js';

/** What lockAll can take: Mutex and RecursiveMutex (and anything shaped like them). */
export interface Lockable {
  readonly id: number;
  readonly rank: number | undefined;
  lock(options?: WaitOptions): unknown;
  lockAsync(options?: AsyncWaitOptions): Promise<unknown>;
  unlock(): void;
}

/** The locks in global order, each id once. */
export function globalOrder<L extends Lockable>(locks: Iterable<L>): L[] {
  const byId = new Map<number, L>();
  for (const lock of locks) {
    if (typeof lock?.lock !== 'function' || typeof lock.id !== 'number') {
      throw new TypeError(`lockAll: expected Mutex or RecursiveMutex instances, got ${describeValue(lock)}`);
    }
    if (!byId.has(lock.id)) byId.set(lock.id, lock);
  }
  return [...byId.values()].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.id - b.id);
}

/** Takes every lock in global order, runs `fn`, and releases them all (in reverse) even if `fn` throws. */
export function lockAll<T>(locks: Iterable<Lockable>, fn: () => T, options?: WaitOptions): T {
  const ordered = globalOrder(locks);
  if (blockingForbidden) throw blockingCallNotAllowed('lockAll()', 'lockAllAsync()');
  let taken = 0;
  try {
    for (const lock of ordered) {
      try {
        lock.lock(options);
      } catch (error) {
        // OwnerDiedError comes with the lock taken: count it, so it is released (unrepaired) with the others.
        if (error instanceof OwnerDiedError) taken++;
        throw error;
      }
      taken++;
    }
    return fn();
  } finally {
    while (taken > 0) ordered[--taken]!.unlock();
  }
}

/** lockAll without blocking the event loop; `fn` may be async and is awaited before the locks are released. */
export async function lockAllAsync<T>(locks: Iterable<Lockable>, fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
  const ordered = globalOrder(locks);
  let taken = 0;
  try {
    for (const lock of ordered) {
      try {
        await lock.lockAsync(options);
      } catch (error) {
        if (error instanceof OwnerDiedError) taken++;
        throw error;
      }
      taken++;
    }
    return await fn();
  } finally {
    while (taken > 0) ordered[--taken]!.unlock();
  }
}
