/**
 * Async parking on a shared Int32 slot: Atomics.waitAsync plus what it lacks, namely keeping the loop alive,
 * cancellation by AbortSignal, and not swallowing a wake-up meant for someone else after an abort.
 */

import { holdLoop, releaseLoop } from './keep-alive.js';

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
  const wait = Atomics.waitAsync(word, index, expected, timeoutMs);
  if (!wait.async) return Promise.resolve(wait.value);
  holdLoop();
  return new Promise<ParkResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      releaseLoop();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void wait.value.then((result) => {
      if (settled) {
        // The caller gave up (aborted) but V8 cannot cancel a waitAsync. If a notify(1) picked this dead waiter,
        // a live one would sleep on; pass the wake-up on. At worst another waiter sees a spurious wake-up.
        if (result === 'ok') Atomics.notify(word, index, 1);
        return;
      }
      settled = true;
      releaseLoop();
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    });
  });
}
