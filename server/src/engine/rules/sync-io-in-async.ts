/**
 * Rule `sync-io-in-async`: Node's synchronous file, process, zlib and crypto calls (`readFileSync`, `execSync`,
 * ...) inside an async function, directly or through sync helpers. They stall the event loop for as long as the
 * operation takes, which matters in a server and not in a build script or a test: hence a rule of its own, a
 * warning by default, that projects can switch off for such files with `overrides`. Fixes swap in fs/promises.
 */
import type { Rule } from '../rule.js';
import { reportBlockingInCoroutines } from '../detect/blocking-in-coroutines.js';

export const syncIoInAsync: Rule = {
  id: 'sync-io-in-async',
  description: "A synchronous file, process, zlib or crypto call (Node's *Sync functions) inside an async function, stalling its event loop while the operation runs.",
  defaultSeverity: 'warning',
  // Like blocking-in-async: a coroutine's findings follow from its own code and the files it imports.
  scope: 'file',
  check(context) {
    reportBlockingInCoroutines(context, 'sync-io-in-async', 'io');
  },
};
