/**
 * How a blocked waiter treats the threads it depends on. Deaths normally arrive as a wake-up (watch.ts): the thread
 * that learns of a death wakes the waiters of every primitive it has. A thread blocked in Atomics.wait can be woken
 * only through the word it sleeps on, so a blocked waiter also looks by itself, rarely: after 100 ms, then at doubling
 * intervals up to POLL_MAX_MS, checking the thread table (two loads) and, once it has waited PROBE_AFTER_MS, probing
 * the holder (the fallback for a death nobody could report). Idle, that is a wake-up every few seconds.
 */

import { isDead, probeIfDue, stayFindable } from './thread-table.js';

/** The first look of a blocked waiter; each later one waits twice as long, up to POLL_MAX_MS. */
const POLL_FIRST_MS = 100;
export const POLL_MAX_MS = 3_200;
/**
 * How long a waiter waits on one holder before it probes it. Deaths a source reports arrive within milliseconds;
 * probes are for the rest, and each one costs the holder a life waiter until its event loop runs.
 */
export const PROBE_AFTER_MS = 500;

/** One blocked wait's looks: the length of its next sleep, and whether a holder it waits on is gone. */
export class Vigil {
  readonly #start = performance.now();
  #slice = POLL_FIRST_MS;

  /** How long to sleep before the next look, at most `remainingMs`. */
  sleepMs(remainingMs: number): number {
    return remainingMs < this.#slice ? remainingMs : this.#slice;
  }

  /** Called after every sleep that ran out: lengthens the next one, and keeps this thread answering probes. */
  ranOut(): void {
    this.#slice = Math.min(this.#slice * 2, POLL_MAX_MS);
    stayFindable();
  }

  /**
   * True when the thread with this token has ended: reported dead, or found dead by a probe once this wait is long.
   * A bound function, so it can be handed on as it is.
   */
  readonly gone = (token: number): boolean => {
    if (isDead(token)) return true;
    return performance.now() - this.#start >= PROBE_AFTER_MS && probeIfDue(token);
  };
}
