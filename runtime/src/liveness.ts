/**
 * How a blocked waiter treats the threads it depends on. Deaths normally arrive as a wake-up (watch.ts): the thread
 * that learns of a death wakes the waiters of every primitive it has. A thread blocked in Atomics.wait can be woken
 * only through the word it sleeps on, so a blocked waiter also looks by itself, rarely: after PROBE_AFTER_MS, then at
 * doubling intervals up to POLL_MAX_MS, checking the thread table (two loads) and probing the holder, the fallback
 * for a death nobody could report. A death that only a probe can find is thus found no later than about twice as
 * long into the wait as it happened (and within POLL_MAX_MS); an idle waiter wakes twice a minute.
 */

import { isDead, probeIfDue, stayFindable } from './thread-table.js';

/** The longest a blocked waiter sleeps between two looks (the first is after PROBE_AFTER_MS, each later one doubles). */
export const POLL_MAX_MS = 30_000;
/**
 * How long a waiter waits on one holder before it probes it. Deaths a source reports arrive within milliseconds;
 * probes are for the rest, and each one costs the holder a life waiter until its event loop runs.
 */
export const PROBE_AFTER_MS = 500;

/** One blocked wait's looks: the length of its next sleep, and whether a holder it waits on is gone. */
export class Vigil {
  #slice = PROBE_AFTER_MS;
  /** Set once a sleep has run out: the wait has lasted PROBE_AFTER_MS, and may probe. */
  #probing = false;

  /** How long to sleep before the next look, at most `remainingMs`. */
  sleepMs(remainingMs: number): number {
    return remainingMs < this.#slice ? remainingMs : this.#slice;
  }

  /** Called after every sleep that ran out: lengthens the next one, and keeps this thread answering probes. */
  ranOut(): void {
    this.#slice = Math.min(this.#slice * 2, POLL_MAX_MS);
    this.#probing = true;
    stayFindable();
  }

  /**
   * True when the thread with this token has ended: reported dead, or found dead by a probe once a sleep ran out.
   * A bound function, so it can be handed on as it is.
   */
  readonly gone = (token: number): boolean => {
    if (isDead(token)) return true;
    return this.#probing && probeIfDue(token);
  };
}
