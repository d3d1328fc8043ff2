/**
 * Rule `blocking-on-main-thread`: a runtime wait or Atomics.wait reached from the sync code of a browser page's main
 * thread (a script using `document` or `window`, not a worker's), which may not block: the runtime refuses it with
 * BlockingNotAllowedError on every call, and Atomics.wait throws. Fixes make an event handler async and await the twin.
 */
import type { Rule } from '../rule.js';
import { reportBlockingOnMainThread } from '../detect/page-main-thread.js';

export const blockingOnMainThread: Rule = {
  id: 'blocking-on-main-thread',
  description: "A blocking runtime call or Atomics.wait reached from a browser page's main thread, which may not block: it throws there on every call.",
  defaultSeverity: 'error',
  // A page script's findings follow from its own code and the sync helpers it calls, found through its imports.
  scope: 'file',
  check(context) {
    reportBlockingOnMainThread(context);
  },
};
