/**
 * Atomics.waitAsync where the engine has it, and a stand-in where it does not (Firefox before 145, Safari before
 * 16.4): the same result shape, but the stand-in polls the slot with timers instead of sleeping in the engine's
 * waiter list. It sees a change of the slot's value at most one poll interval late, if the value has not changed
 * back by then (the runtime's wakers bump counters first, which do not); it never sees an Atomics.notify that leaves
 * the value as it was, and notify does not count it among the woken.
 */

/** Atomics.waitAsync's result: settled at once, or a promise of how the wait ended. */
export type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'>; cancel?: () => void };

/** Whether the engine has Atomics.waitAsync (Chromium 87+, Node 16+, Safari 16.4+, Firefox 145+). */
export const hasWaitAsync: boolean = typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function';

/**
 * The first poll comes after 1 ms and each later one after twice the last, up to this cap. A wait that ends soon
 * (a short critical section) is seen within a few ms; one that lasts costs at most 1000 / POLL_CAP_MS timer wake-ups
 * a second. 16 ms is one frame at 60 Hz: a page waiting on a lock cannot notice less.
 */
export const POLL_CAP_MS = 16;

/**
 * The death watcher's polls (watch.ts) back off further: it waits, for the whole life of the thread, for a rare event
 * (another thread reporting a death) that waiters also find by looking at the holder's table entry now and then
 * (liveness.ts), so it trades latency for near-zero idle cost.
 */
export const WATCHER_POLL_CAP_MS = 250;

interface PollOptions {
  /** The longest interval between two polls (POLL_CAP_MS by default). */
  capMs?: number;
}

/**
 * Waits until `word[index]` no longer holds `expected` ('ok'), or `timeoutMs` passes ('timed-out'), as
 * Atomics.waitAsync does. Polling timers are unref'd where timers can be (Node), so a polling wait keeps a program
 * alive no more than the engine's own waitAsync does (keep-alive.ts does that for the waits that must). An async
 * result from polling has `cancel()`, which stops the polling and leaves the promise pending forever.
 */
export function waitAsync(
  word: Int32Array<SharedArrayBuffer>,
  index: number,
  expected: number,
  timeoutMs: number = Infinity,
  options?: PollOptions,
): WaitAsyncResult {
  if (hasWaitAsync) return Atomics.waitAsync(word, index, expected, timeoutMs) as WaitAsyncResult;
  if (Atomics.load(word, index) !== expected) return { async: false, value: 'not-equal' };
  // As the engine's: NaN waits forever, 0 or less does not wait.
  if (Number.isNaN(timeoutMs)) timeoutMs = Infinity;
  if (timeoutMs <= 0) return { async: false, value: 'timed-out' };
  const cap = options?.capMs ?? POLL_CAP_MS;
  const deadline = performance.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const value = new Promise<'ok' | 'timed-out'>((resolve) => {
    let delay = 1;
    const schedule = (): void => {
      timer = setTimeout(poll, Math.min(delay, Math.max(deadline - performance.now(), 0)));
      (timer as { unref?: () => void }).unref?.();
      delay = Math.min(delay * 2, cap);
    };
    const poll = (): void => {
      timer = undefined;
      if (cancelled) return;
      if (Atomics.load(word, index) !== expected) return resolve('ok');
      if (performance.now() >= deadline) return resolve('timed-out');
      schedule();
    };
    schedule();
  });
  const cancel = (): void => {
    cancelled = true;
    if (timer !== undefined) clearTimeout(timer);
  };
  return { async: true, value, cancel };
}
