/**
 * Wait options shared by every primitive, and the helpers that turn a relative `timeout` into a deadline so a
 * wait that wakes several times (spurious or lost races) still ends when the caller asked.
 */

import { quote } from './handle.js';
import { lockLabel } from './ids.js';

/** Options of a blocking wait. `timeout` is in milliseconds; omitted means wait forever. */
export interface WaitOptions {
  timeout?: number;
}

/** Options of an async wait: a timeout and/or an AbortSignal that rejects the wait with `signal.reason`. */
export interface AsyncWaitOptions extends WaitOptions {
  signal?: AbortSignal;
}

/**
 * Validates a caller's `timeout` at the top of every waiting method, before any fast path, so a bad value fails
 * on the first call rather than only when the lock happens to be contended. Callers skip it when no options
 * were given, so the common call pays one compare. `kind`, `name` and `id` name the lock in the message, which
 * is only built on failure.
 */
export function checkTimeout(timeout: unknown, kind: string, name: string | undefined, id: number, method: string): void {
  if (timeout === undefined || (typeof timeout === 'number' && timeout >= 0)) return;
  throw timeoutError(timeout, kind, name, id, method);
}

/** The error checkTimeout throws, for methods that must reject rather than throw (lockAsync is not async). */
export function timeoutError(timeout: unknown, kind: string, name: string | undefined, id: number, method: string): Error {
  return badTimeout(timeout, `${lockLabel(kind, name, id)}.${method}`);
}

function badTimeout(timeout: unknown, who: string): Error {
  const what = `${who}: timeout must be a non-negative number of milliseconds (or Infinity), got ${quote(timeout)}`;
  return typeof timeout === 'number' ? new RangeError(what) : new TypeError(what);
}

/** The absolute time (performance.now() clock) at which a wait with this timeout gives up; Infinity for none. */
export function deadlineOf(timeout: number | undefined): number {
  if (timeout === undefined || timeout === Infinity) return Infinity;
  // Public methods validate first (checkTimeout), naming the lock; this is the backstop for internal callers.
  if (typeof timeout !== 'number' || !(timeout >= 0)) throw badTimeout(timeout, 'wait');
  return performance.now() + timeout;
}

/** Milliseconds left before `deadline` (never negative), in the form Atomics.wait accepts. */
export function remaining(deadline: number): number {
  if (deadline === Infinity) return Infinity;
  const left = deadline - performance.now();
  return left > 0 ? left : 0;
}

/** Throws the signal's reason when it is already aborted, so an aborted call never takes a lock. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal !== undefined && signal.aborted) throw signal.reason;
}
