/**
 * The lock word that Mutex, RecursiveMutex and checked mode's graph lock build on. A held word names its owner: the
 * holder's thread token (thread-table.ts) in the low TOKEN_BITS, set by the same compareExchange that takes the lock,
 * as a Linux robust futex holds its owner's TID. So a lock is never held by nobody, and a waiter that finds the owner
 * dead takes the word over with one compareExchange from the value naming the dead owner: exactly one waiter wins.
 * Flag bits: WAITERS (someone may sleep: the release must look at the counts below), OBSERVED (the holder's release
 * takes the reporting path) and INCONSISTENT (free, but released unrepaired after an owner died; only a slow path,
 * which reports OwnerDiedError, takes it).
 *
 * A futex is FUTEX_SLOTS Int32 from its index: the word, how many threads sleep on it in Atomics.wait, and the gate
 * (gate.ts) where async waiters park apart from them. Fairness: barging, as in Drepper's "Futexes Are Tricky".
 */

import { AsyncGate, GATE_TIMED_OUT } from './gate.js';
import { Vigil } from './liveness.js';
import { remaining } from './options.js';
import { isDead, probeIfDue, threadToken, TOKEN_MASK } from './thread-table.js';

export const WAITERS = 1 << 28;
export const OBSERVED = 1 << 29;
export const INCONSISTENT = 1 << 30;

/** Slots of a futex after its index, which holds the word itself. */
export const F_SLEEPERS = 1; // threads in (or about to enter) Atomics.wait on the word; the release notifies one only then
export const F_GATE_SEQ = 2; // async waiters' gates sleep here (gate.ts)
export const F_GATES = 3; // gates parked
export const FUTEX_SLOTS = 4;

/** How a slow-path acquisition ended. */
export const TAKEN = 0;
export const TIMED_OUT = 1;
/** Taken over from a holder whose thread is gone: the caller holds it and must report OwnerDiedError. */
export const OWNER_DIED = 2;
/** Taken while INCONSISTENT: the caller holds it and must report OwnerDiedError again. */
export const INCONSISTENT_TAKEN = 3;
export type SlowLockResult = typeof TAKEN | typeof TIMED_OUT | typeof OWNER_DIED | typeof INCONSISTENT_TAKEN;

/** The token of the last dead holder this thread took a lock over from, for the caller's OwnerDiedError message. */
export let deadOwner = 0;

/**
 * One step of a contended acquisition by `me` (the caller's token, with OBSERVED when it reports its acquisitions).
 * Takes the word if it is free (setting WAITERS, since others may sleep), or over from an owner `gone` says is dead;
 * otherwise makes sure WAITERS is set, so the owner's release will look for sleepers. Returns a SlowLockResult for a
 * lock taken, else -1 - (the word to sleep on).
 */
export function takeStep(word: Int32Array<SharedArrayBuffer>, index: number, me: number, gone: (owner: number) => boolean): number {
  for (;;) {
    const seen = Atomics.load(word, index);
    const owner = seen & TOKEN_MASK;
    if (owner === 0) {
      // Free (0) or free-but-inconsistent: a recovery holds it observed, so its release can pass the state on.
      const next = seen === 0 ? me | WAITERS : me | WAITERS | OBSERVED;
      if (Atomics.compareExchange(word, index, seen, next) === seen) return seen === 0 ? TAKEN : INCONSISTENT_TAKEN;
      continue;
    }
    if (gone(owner)) {
      // Only the owner could release the word, and it is gone; of the waiters that found it so, one wins this exchange.
      if (Atomics.compareExchange(word, index, seen, me | WAITERS | OBSERVED) !== seen) continue;
      deadOwner = owner;
      return OWNER_DIED;
    }
    if ((seen & WAITERS) !== 0) return -1 - seen;
    if (Atomics.compareExchange(word, index, seen, seen | WAITERS) === seen) return -1 - (seen | WAITERS);
  }
}

/**
 * The blocking contended path, after the fast compareExchange failed. Sleeps while the word is unchanged; the release,
 * or a thread that hears of the owner's death (watch.ts), wakes it, and a vigil (liveness.ts), made at the first
 * sleep, has it look by itself now and then. Counted in F_SLEEPERS only around each sleep: a release that saw WAITERS
 * but not the count makes no notify, and then the word it changed makes Atomics.wait return at once.
 */
export function lockWordSlow(word: Int32Array<SharedArrayBuffer>, index: number, me: number, deadline: number): SlowLockResult {
  let vigil: Vigil | undefined;
  for (;;) {
    const step = takeStep(word, index, me, vigil === undefined ? isDead : vigil.gone);
    if (step >= 0) return step as SlowLockResult;
    const ms = remaining(deadline);
    if (ms <= 0) return TIMED_OUT;
    vigil ??= new Vigil();
    Atomics.add(word, index + F_SLEEPERS, 1);
    // Atomics.wait compares the word atomically with going to sleep, so a release since takeStep's look returns
    // 'not-equal' at once instead of sleeping through its notify.
    const result = Atomics.wait(word, index, -1 - step, vigil.sleepMs(ms));
    Atomics.sub(word, index + F_SLEEPERS, 1);
    if (result === 'timed-out') vigil.ranOut();
  }
}

/** lockWordSlow for async callers: waits at the lock's gate, so the event loop keeps turning. */
export async function lockWordAsync(
  gate: AsyncGate<SlowLockResult>,
  word: Int32Array<SharedArrayBuffer>,
  index: number,
  me: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<SlowLockResult> {
  const result = await gate.wait(
    () => {
      const step = takeStep(word, index, me, isDead);
      return step >= 0 ? (step as SlowLockResult) : undefined;
    },
    deadline,
    signal,
  );
  return result === GATE_TIMED_OUT ? TIMED_OUT : result;
}

/**
 * The release when the fast compareExchange (token -> 0) failed because a flag is set: one exchange to `to` (0, or
 * INCONSISTENT for a recovery released unrepaired) publishes the critical section's writes, and if WAITERS was set,
 * wakes one blocked sleeper and every async gate. Returns how many were woken.
 */
export function releaseWord(word: Int32Array<SharedArrayBuffer>, index: number, to: 0 | typeof INCONSISTENT): number {
  if ((Atomics.exchange(word, index, to) & WAITERS) === 0) return 0;
  return wakeWaiters(word, index, 1);
}

/** Wakes up to `sleepers` threads blocked on the word, and every gate. */
export function wakeWaiters(word: Int32Array<SharedArrayBuffer>, index: number, sleepers: number): number {
  let woken = 0;
  if (Atomics.load(word, index + F_SLEEPERS) > 0) woken += Atomics.notify(word, index, sleepers);
  return woken + AsyncGate.wake(word, index + F_GATE_SEQ, index + F_GATES);
}

/**
 * For a thread that heard of a death (watch.ts): if the word's owner is dead, or the word is free while someone
 * sleeps on it (a sleeper chosen by a release died before it could take the lock), wake them all to look.
 */
export function wakeIfOrphaned(word: Int32Array<SharedArrayBuffer>, index: number): void {
  const owner = Atomics.load(word, index) & TOKEN_MASK;
  if (owner === 0 ? Atomics.load(word, index + F_SLEEPERS) + Atomics.load(word, index + F_GATES) > 0 : isDead(owner)) {
    wakeWaiters(word, index, Infinity);
  }
}

/** The word's owner (0 when free). */
export function ownerOf(word: Int32Array<SharedArrayBuffer>, index: number): number {
  return Atomics.load(word, index) & TOKEN_MASK;
}

/** For async waiters that have waited a while (watch.ts): probe the word's owner, unless it is free or this thread. */
export function probeOwner(word: Int32Array<SharedArrayBuffer>, index: number): void {
  const owner = ownerOf(word, index);
  if (owner !== 0 && owner !== threadToken) probeIfDue(owner);
}

/**
 * For a try-acquisition whose fast compareExchange failed: takes the word if it is free by now, free but
 * inconsistent, or held by an owner known dead; otherwise undefined, leaving the word as it was (no WAITERS).
 */
export function tryTakeWord(word: Int32Array<SharedArrayBuffer>, index: number, me: number): SlowLockResult | undefined {
  for (;;) {
    const seen = Atomics.load(word, index);
    const owner = seen & TOKEN_MASK;
    if (owner !== 0 && !isDead(owner)) return undefined;
    // Taken from a recovery or a dead owner, WAITERS stays set: others may sleep on it.
    const next = seen === 0 ? me : me | WAITERS | OBSERVED;
    if (Atomics.compareExchange(word, index, seen, next) !== seen) continue;
    if (owner === 0) return seen === 0 ? TAKEN : INCONSISTENT_TAKEN;
    deadOwner = owner;
    return OWNER_DIED;
  }
}
