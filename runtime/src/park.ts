/**
 * Async parking on a shared Int32 slot for the primitives whose wakers wake every waiter (Barrier, Event): an
 * Atomics.waitAsync plus what it lacks, namely keeping the loop alive, cancellation by AbortSignal, and not swallowing
 * a wake-up meant for someone else after an abort. (Mutex, Semaphore and Condition, whose wakers may wake one, wait
 * at a gate instead: gate.ts.)
 *
 * V8 cannot cancel a waitAsync: an aborted one stays in the slot's waiter list, keeping its promise and closures
 * alive until something wakes it. So abort wakes every waiter of the slot at once: that removes ours from the list
 * now, and any live waiter woken with it sees a spurious wake-up, which every wait loop tolerates. Where the engine
 * has no waitAsync, the wait polls (wait-async.ts) and abort stops its timer instead.
 */

import { holdLoop, releaseLoop } from './keep-alive.js';
import { waitAsync } from './wait-async.js';

export type ParkResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * Parks until `word[index]` is notified, `timeoutMs` passes, or `signal` aborts (rejecting with its reason).
 * Resolves at once with 'not-equal' when the slot no longer holds `expected`.
 */
export function parkAsync(
  word: Int32Array<SharedArrayBuffer>,
  index: number,
  expected: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ParkResult> {
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
  const wait = waitAsync(word, index, expected, timeoutMs);
  if (!wait.async) return Promise.resolve(wait.value);
  holdLoop();
  return new Promise<ParkResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      releaseLoop();
      // A polling stand-in (wait-async.ts) can be stopped; the engine's wait cannot. Wake all rather than 1: notify
      // picks waiters in arrival order, and ours may not be first.
      if (wait.cancel !== undefined) wait.cancel();
      else Atomics.notify(word, index);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void wait.value.then((result) => {
      // Aborted: the abort already woke every waiter, so a wake-up this one took is not lost to the others.
      if (settled) return;
      settled = true;
      releaseLoop();
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    });
  });
}
