/**
 * The three-state futex lock word (after Drepper, "Futexes Are Tricky", mutex 2) that Mutex and RecursiveMutex
 * build on: 0 free, 1 locked, 2 locked and someone may sleep. Locking is one compareExchange when free;
 * unlocking is one exchange, plus a notify only when the old value says someone may be asleep.
 *
 * Fairness: barging. A released lock goes to whichever thread's exchange lands first, not to the longest
 * sleeper; see the README for why that suits small machines.
 */

import { remaining } from './options.js';
import { parkAsync } from './park.js';

export const UNLOCKED = 0;
export const LOCKED = 1;
export const CONTENDED = 2;

/** One attempt: compareExchange 0 -> 1. All Atomics are sequentially consistent, so success also acquires. */
export function tryLockWord(word: Int32Array<SharedArrayBuffer>, index: number): boolean {
  return Atomics.compareExchange(word, index, UNLOCKED, LOCKED) === UNLOCKED;
}

/**
 * The contended path, after a failed tryLockWord: announce a sleeper by swapping in 2, and sleep while the word
 * stays 2. There is no spin before sleeping: measured on an idle 2-core machine, a 64-poll spin made hand-off
 * 5 to 25% slower and throughput 7 to 9% lower than going straight to the exchange, which itself takes a lock
 * that has just been freed. Taking the lock with exchange(2) rather than compareExchange(0, 1) is
 * deliberate: we cannot know whether others still sleep, so the next unlock must notify. Returns false if
 * `deadline` passes first.
 */
export function lockWordSlow(word: Int32Array<SharedArrayBuffer>, index: number, deadline: number): boolean {
  let seen = Atomics.exchange(word, index, CONTENDED);
  while (seen !== UNLOCKED) {
    const ms = remaining(deadline);
    if (ms <= 0) return false;
    // Atomics.wait re-checks the word atomically with going to sleep, so an unlock between our exchange and
    // this call makes it return 'not-equal' instead of sleeping through the notify.
    Atomics.wait(word, index, CONTENDED, ms);
    seen = Atomics.exchange(word, index, CONTENDED);
  }
  return true;
}

/** lockWordSlow for async callers: parks with Atomics.waitAsync so the event loop keeps turning. */
export async function lockWordSlowAsync(
  word: Int32Array<SharedArrayBuffer>,
  index: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let seen = Atomics.exchange(word, index, CONTENDED);
  while (seen !== UNLOCKED) {
    const ms = remaining(deadline);
    if (ms <= 0) return false;
    await parkAsync(word, index, CONTENDED, ms, signal);
    seen = Atomics.exchange(word, index, CONTENDED);
  }
  return true;
}

/**
 * Releases the word: one exchange to 0. The exchange publishes every write the holder made before it (the
 * next locker's compareExchange/exchange reads it), and its old value tells whether anyone may sleep.
 * Returns how many sleepers were woken (0 or 1).
 */
export function unlockWord(word: Int32Array<SharedArrayBuffer>, index: number): number {
  if (Atomics.exchange(word, index, UNLOCKED) === CONTENDED) return Atomics.notify(word, index, 1);
  return 0;
}
