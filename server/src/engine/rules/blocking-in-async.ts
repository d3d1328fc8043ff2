/**
 * Rule `blocking-in-async`: a call that holds the thread until another thread acts or time passes (Atomics.wait,
 * the runtime's sync lock methods, busy-waits, configured functions, or a sync helper that does any of these)
 * inside an async function, where it stalls the whole event loop instead of one task, and can deadlock it. Sync
 * I/O is `sync-io-in-async`'s. Fixes swap in the awaited async twin.
 */
import type { Rule } from '../rule.js';
import { reportBlockingInCoroutines } from '../detect/blocking-in-coroutines.js';

export const blockingInAsync: Rule = {
  id: 'blocking-in-async',
  description: 'A call that blocks the thread on another thread or on time (Atomics.wait, a sync lock, a busy-wait) inside an async function, stalling its whole event loop.',
  defaultSeverity: 'error',
  // A coroutine's findings follow from its own code and what it calls, found through the files it imports.
  scope: 'file',
  check(context) {
    reportBlockingInCoroutines(context, 'blocking-in-async', 'wait');
  },
};
