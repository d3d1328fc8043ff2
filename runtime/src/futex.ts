/**
 * The three-state futex lock word (after Drepper, "Futexes Are Tricky", mutex 2) that Mutex and RecursiveMutex
 * build on: 0 free, 1 locked, 2 locked and someone may sleep. Locking is one compareExchange when free;
 * unlocking is one exchange, plus a notify only when the old value says someone may be asleep. A fourth state
 * (3, free but inconsistent) and the rechecks in the slow paths serve robust locking: see lockWordSlow.
 *
 * Fairness: barging. A released lock goes to whichever thread's exchange lands first, not to the longest
 * sleeper; see the README for why that suits small machines.
 */

import { threadToken } from './ids.js';
import { isDead, RECHECK_MS, stayFindable } from './liveness.js';
import { remaining } from './options.js';
import { parkAsync } from './park.js';

export const UNLOCKED = 0;
export const LOCKED = 1;
export const CONTENDED = 2;
/**
 * Free, but the last holder took it over from a dead owner and released it without markConsistent(): the data it
 * guards may be torn. The fast path's compareExchange(0 -> 1) fails on it, so only the slow path, which reports
 * OwnerDiedError, can take it; exchange(2) takes it like a free word.
 */
export const FREE_INCONSISTENT = 3;

/** How a slow-path acquisition ended. */
export const TAKEN = 0;
export const TIMED_OUT = 1;
/** Taken over from a holder whose thread is gone (see liveness.ts): the caller holds it and must report OwnerDiedError. */
export const OWNER_DIED = 2;
/** Taken while FREE_INCONSISTENT: the caller holds it and must report OwnerDiedError again. */
export const INCONSISTENT = 3;
export type SlowLockResult = typeof TAKEN | typeof TIMED_OUT | typeof OWNER_DIED | typeof INCONSISTENT;

/** One attempt: compareExchange 0 -> 1. All Atomics are sequentially consistent, so success also acquires. */
export function tryLockWord(word: Int32Array<SharedArrayBuffer>, index: number): boolean {
  return Atomics.compareExchange(word, index, UNLOCKED, LOCKED) === UNLOCKED;
}

/**
 * After a failed tryLockWord, when the caller will not wait: takes a FREE_INCONSISTENT word (true), which the
 * caller must report as OwnerDiedError; false when the word is really held.
 */
export function tryLockInconsistent(word: Int32Array<SharedArrayBuffer>, index: number): boolean {
  return Atomics.compareExchange(word, index, FREE_INCONSISTENT, CONTENDED) === FREE_INCONSISTENT;
}

/** The owner slot value of the last holder this thread found dead, for the caller's OwnerDiedError message. */
export let deadOwner = 0;

/**
 * Called when a sleeper's recheck interval ran out with the word still held. If the holder named in the owner
 * slot is a thread that no longer exists, take the lock over: the compareExchange on the owner slot lets exactly
 * one waiter win, and nobody else can release the word (only its owner could). The word stays held; it is set to
 * CONTENDED because other sleepers may wait on it, so the new owner's release must notify.
 */
function takeOverFromDead(word: Int32Array<SharedArrayBuffer>, index: number, ownerIndex: number): boolean {
  stayFindable();
  if (ownerIndex < 0) return false;
  const owner = Atomics.load(word, ownerIndex);
  if (owner === 0 || !isDead(owner < 0 ? -owner : owner)) return false;
  // -threadToken names this thread in a form no other thread mistakes for its own; the caller writes its final
  // owner value next.
  if (Atomics.compareExchange(word, ownerIndex, owner, -threadToken) !== owner) return false;
  Atomics.store(word, index, CONTENDED);
  deadOwner = owner;
  return true;
}

/**
 * The contended path, after a failed tryLockWord: announce a sleeper by swapping in 2, and sleep while the word
 * stays 2. There is no spin before sleeping: measured on an idle 2-core machine, a 64-poll spin made hand-off
 * 5 to 25% slower and throughput 7 to 9% lower than going straight to the exchange, which itself takes a lock
 * that has just been freed. Taking the lock with exchange(2) rather than compareExchange(0, 1) is
 * deliberate: we cannot know whether others still sleep, so the next unlock must notify.
 *
 * Sleeps last at most RECHECK_MS: a wake-up can be lost to a waiter that cannot take it (chosen by notify(1),
 * then its thread was terminated, or its event loop is blocked), and the holder may die. Each recheck swaps
 * again (taking a lock freed meanwhile) and asks whether the owner in `ownerIndex` (-1: none recorded) is alive.
 */
export function lockWordSlow(word: Int32Array<SharedArrayBuffer>, index: number, deadline: number, ownerIndex: number): SlowLockResult {
  let seen = Atomics.exchange(word, index, CONTENDED);
  for (;;) {
    if (seen === UNLOCKED) return TAKEN;
    if (seen === FREE_INCONSISTENT) return INCONSISTENT;
    const ms = remaining(deadline);
    if (ms <= 0) return TIMED_OUT;
    // Atomics.wait re-checks the word atomically with going to sleep, so an unlock between our exchange and
    // this call makes it return 'not-equal' instead of sleeping through the notify.
    if (Atomics.wait(word, index, CONTENDED, ms < RECHECK_MS ? ms : RECHECK_MS) === 'timed-out' && takeOverFromDead(word, index, ownerIndex)) {
      return OWNER_DIED;
    }
    seen = Atomics.exchange(word, index, CONTENDED);
  }
}

/** lockWordSlow for async callers: parks with Atomics.waitAsync so the event loop keeps turning. */
export async function lockWordSlowAsync(
  word: Int32Array<SharedArrayBuffer>,
  index: number,
  deadline: number,
  signal: AbortSignal | undefined,
  ownerIndex: number,
): Promise<SlowLockResult> {
  let seen = Atomics.exchange(word, index, CONTENDED);
  for (;;) {
    if (seen === UNLOCKED) return TAKEN;
    if (seen === FREE_INCONSISTENT) return INCONSISTENT;
    const ms = remaining(deadline);
    if (ms <= 0) return TIMED_OUT;
    if ((await parkAsync(word, index, CONTENDED, ms < RECHECK_MS ? ms : RECHECK_MS, signal)) === 'timed-out' && takeOverFromDead(word, index, ownerIndex)) {
      return OWNER_DIED;
    }
    seen = Atomics.exchange(word, index, CONTENDED);
  }
}

/**
 * Releases the word: one exchange to 0. The exchange publishes every write the holder made before it (the
 * next locker's compareExchange/exchange reads it), and its old value tells whether anyone may sleep.
 * `to` is FREE_INCONSISTENT when a recovered lock is released unrepaired. Returns how many sleepers were woken (0 or 1).
 */
export function unlockWord(word: Int32Array<SharedArrayBuffer>, index: number, to: typeof UNLOCKED | typeof FREE_INCONSISTENT = UNLOCKED): number {
  if (Atomics.exchange(word, index, to) === CONTENDED) return Atomics.notify(word, index, 1);
  return 0;
}
