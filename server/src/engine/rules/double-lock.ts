/**
 * Rule `double-lock`: a plain Mutex taken again by the thread that already holds it, directly or through calls.
 * `lock()` then throws DeadlockError and `lockAsync()` waits for itself; RecursiveMutex and Semaphore are exempt.
 */
import type { Rule } from '../rule.js';
import { spanOf } from '../span.js';
import { chainSite, chainSteps } from '../model/lock-graph.js';
import { doubleLockFixes } from '../fixes/double-lock.js';

export const doubleLock: Rule = {
  id: 'double-lock',
  description: 'Finds a non-reentrant lock taken again by the thread that already holds it, directly or through calls.',
  defaultSeverity: 'error',
  check(context) {
    for (const acquisition of context.model.facts.acquisitions) {
      if (acquisition.mode === 'try' || acquisition.lock.kind !== 'Mutex') continue;
      const held = acquisition.heldBefore.find(
        (h) => h.lock.id === acquisition.lock.id && (h.lock.index === undefined || h.lock.index === acquisition.lock.index),
      );
      if (!held) continue;
      const chain = { held, acquisition };
      const first = held.stack[held.stack.length - 1]!;
      const outcome = acquisition.mode === 'async' ? 'waits for itself forever' : 'throws DeadlockError';
      context.report({
        rule: 'double-lock',
        message: `\`${acquisition.lock.name}\` is taken again while this thread already holds it (taken on line ${first.getStartLineNumber()}); a Mutex is not reentrant, so this ${outcome}. Release it first, call a variant that expects it held, or use a RecursiveMutex.`,
        span: spanOf(chainSite(chain)),
        related: chainSteps(chain).map((step) => ({ span: spanOf(step.node), message: step.message })),
        fixes: doubleLockFixes(held, acquisition),
      });
    }
  },
};
