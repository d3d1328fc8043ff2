/**
 * Where this thread may block: a browser page's main thread may not call Atomics.wait (the engine throws a TypeError,
 * and only when a wait would actually sleep), so every blocking method asks here first and throws
 * BlockingNotAllowedError, naming the lock and its async twin, on every call, contended or not.
 */

import { BlockingNotAllowedError } from './errors.js';
import { lockLabel } from './ids.js';

/**
 * One probe, once per thread: a wait that cannot sleep (the value differs) still throws where the agent may not suspend,
 * since the engine checks that before comparing (ECMA-262 DoWait). Without SharedArrayBuffer nothing can block anyway.
 */
function probeBlockingForbidden(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return false;
  } catch {
    return true;
  }
}

/** Whether this thread may not block; read by every blocking method before it touches shared memory. */
export let blockingForbidden = probeBlockingForbidden();

const listeners: ((forbidden: boolean) => void)[] = [];

/** For fast paths that keep the flag on a prototype (mutex.ts): called now and on every change. */
export function onBlockingForbiddenChange(listener: (forbidden: boolean) => void): void {
  listeners.push(listener);
  listener(blockingForbidden);
}

/**
 * The seam tests use to run this thread as a page's main thread would (Node's main thread may block). Not exported from
 * the package: a program has no reason to forbid itself blocking.
 */
export function simulateBlockingForbidden(forbidden: boolean): void {
  blockingForbidden = forbidden;
  for (const listener of listeners) listener(forbidden);
}

/** The error a blocking method throws here, e.g. "Mutex 'jobs' (#4).lock() ... use lockAsync() instead". */
export function blockingNotAllowed(kind: string, name: string | undefined, id: number, method: string, asyncTwin: string): BlockingNotAllowedError {
  return blockingCallNotAllowed(`${lockLabel(kind, name, id)}.${method}()`, `${asyncTwin}()`);
}

/** The same for a call that is not one lock's method: `what` would block; `instead` is what to call. */
export function blockingCallNotAllowed(what: string, instead: string): BlockingNotAllowedError {
  return new BlockingNotAllowedError(
    `${what} would block, and this thread (a browser page's main thread) may not block: Atomics.wait is not allowed ` +
      `here. Use ${instead} instead, or call it from a Worker`,
  );
}
