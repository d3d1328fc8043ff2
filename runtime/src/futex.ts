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
 * How many times a contended locker polls the word before it sleeps. A critical section on another core usually
 * ends within a few hundred ns, far sooner than a sleep and wake-up round trip (several µs), so a short spin
 * often takes the lock without either thread touching Atomics.wait/notify. Bounded, so a holder that is not
 * running (more threads than cores) costs the spinner well under a microsecond before it parks.
 */
export const SPIN_LIMIT = 64;

/**
 * Polls the word up to SPIN_LIMIT times and takes it with compareExchange(0 -> 1) if it turns free. Taking it
 * as 1 while others sleep is safe: a sleeper woken by the last unlock swaps in 2 when it finds the lock taken,
 * so the next unlock still notifies. Polling with a load (not a compareExchange) keeps the cache line shared
 * until the word is free, so the spinner does not slow the holder down.
 */
function spinToLock(word: Int32Array<SharedArrayBuffer>, index: number): boolean {
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if (Atomics.load(word, index) === UNLOCKED && Atomics.compareExchange(word, index, UNLOCKED, LOCKED) === UNLOCKED) {
      return true;
    }
  }
  return false;
}

/**
 * The contended path, after a failed tryLockWord: spin briefly (spinToLock), then announce a sleeper by swapping
 * in 2, and sleep while the word stays 2. Taking the lock with exchange(2) rather than compareExchange(0, 1) is
 * deliberate: we cannot know whether others still sleep, so the next unlock must notify. Returns false if
 * `deadline` passes first.
 */
export function lockWordSlow(word: Int32Array<SharedArrayBuffer>, index: number, deadline: number): boolean {
  if (spinToLock(word, index)) return true;
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
  if (spinToLock(word, index)) return true;
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
