/**
 * Keeps the Node event loop alive while async waits are pending. Node 20 does not count a pending
 * Atomics.waitAsync as work (a program whose only pending task is one exits at once, checked on 20.20), yet
 * callers expect a pending lockAsync to behave like a pending timer. One long-interval timer per thread is
 * ref'd while at least one async wait is parked and unref'd otherwise, so the cost is two calls per wait.
 */

interface RefHandle {
  ref(): unknown;
  unref(): unknown;
}

let parked = 0;
let keeper: RefHandle | undefined;
/** Set once the keeper was made (or found unnecessary, in browsers), so it is made at most once per thread. */
let keeperMade = false;

/** The interval never matters (the callback does nothing); it only has to stay within Node's timer range. */
const KEEPER_INTERVAL_MS = 2 ** 30;

function makeKeeper(): RefHandle | undefined {
  const timer: unknown = setInterval(() => {}, KEEPER_INTERVAL_MS);
  // In browsers setInterval returns a number: pages do not exit, so there is nothing to keep alive.
  if (typeof timer !== 'object' || timer === null || typeof (timer as RefHandle).ref !== 'function') {
    clearInterval(timer as number);
    return undefined;
  }
  (timer as RefHandle).unref(); // holdLoop refs it; an idle keeper must never hold the process
  return timer as RefHandle;
}

/** Called when an async wait parks. */
export function holdLoop(): void {
  if (parked++ === 0) {
    if (!keeperMade) {
      keeper = makeKeeper();
      keeperMade = true;
    }
    keeper?.ref();
  }
}

/** Called when a parked async wait ends, however it ends. */
export function releaseLoop(): void {
  if (--parked === 0) keeper?.unref();
}
