/**
 * Wait options shared by every primitive, and the helpers that turn a relative `timeout` into a deadline so a
 * wait that wakes several times (spurious or lost races) still ends when the caller asked.
 */

/** Options of a blocking wait. `timeout` is in milliseconds; omitted means wait forever. */
export interface WaitOptions {
  timeout?: number;
}

/** Options of an async wait: a timeout and/or an AbortSignal that rejects the wait with `signal.reason`. */
export interface AsyncWaitOptions extends WaitOptions {
  signal?: AbortSignal;
}

/** The absolute time (performance.now() clock) at which a wait with this timeout gives up; Infinity for none. */
export function deadlineOf(timeout: number | undefined): number {
  if (timeout === undefined || timeout === Infinity) return Infinity;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new RangeError(`timeout must be a non-negative number of milliseconds, got ${String(timeout)}`);
  }
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
