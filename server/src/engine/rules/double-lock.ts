/**
 * Rule `double-lock`: a plain Mutex taken again by the thread that already holds it, directly or through calls.
 * `lock()` then throws DeadlockError and `lockAsync()` waits for itself; a RecursiveMutex is exempt. A second
 * permit of a Semaphore the task already holds one of deadlocks once every permit is held that way, and a shared
 * Web Locks request nested in a shared request of the same name waits forever behind a queued exclusive one.
 */
import type { Node } from 'ts-morph';
import type { Rule } from '../rule.js';
import type { AcquisitionFact, Held } from '../model/facts.js';
import { isFunctionLike } from '../model/function-like.js';
import { spanOf } from '../span.js';
import { chainSite, chainSteps } from '../model/lock-graph.js';
import { doubleLockFixes } from '../fixes/double-lock.js';
import { lockName } from '../model/lock-names.js';

export const doubleLock: Rule = {
  id: 'double-lock',
  description: 'Finds a non-reentrant lock taken again by the thread that already holds it, directly or through calls.',
  defaultSeverity: 'error',
  check(context) {
    const { acquisitions } = context.model.facts;
    // Names some code requests exclusively: only such a request can queue between two shared ones.
    const exclusive = new Set(acquisitions.filter((a) => a.api === 'web-locks' && !a.shared).map((a) => a.lock.id));
    for (const acquisition of acquisitions) {
      if (acquisition.mode === 'try' || (acquisition.lock.kind !== 'Mutex' && acquisition.lock.kind !== 'Semaphore')) continue;
      const held = acquisition.heldBefore.find(
        (h) => h.lock.id === acquisition.lock.id && (h.lock.index === undefined || (h.lock.index === acquisition.lock.index && !callsKeyScopeAgain(h, acquisition))),
      );
      if (!held) continue;
      if (held.shared && acquisition.shared && !exclusive.has(acquisition.lock.id)) continue;
      const chain = { held, acquisition };
      const first = held.stack[held.stack.length - 1]!;
      context.report({
        rule: 'double-lock',
        message: acquisition.lock.kind === 'Semaphore'
          ? `A permit of \`${lockName(acquisition.lock)}\` is requested while this ${acquisition.api ? 'task' : 'thread'} already holds one (taken on line ${first.getStartLineNumber()}); once every permit is held by a ${acquisition.api ? 'task' : 'thread'} waiting here for a second, none is ever released: a deadlock. Do the inner work with the permit already held.`
          : held.shared && acquisition.shared
            ? `\`${lockName(acquisition.lock)}\` is requested in shared mode inside a shared request of the same name (line ${first.getStartLineNumber()}); Web Locks grants requests in order, so an exclusive request queued between the two makes this one wait for it, while it waits for this callback to end: it waits forever. Do the inner work without requesting the lock again.`
            : `\`${lockName(acquisition.lock)}\` is taken again while this thread already holds it (taken on line ${first.getStartLineNumber()}); ${consequence(acquisition.api, acquisition.mode, acquisition.method)}`,
        span: spanOf(chainSite(chain)),
        related: chainSteps(chain).map((step) => ({ span: spanOf(step.node), message: step.message })),
        // A second permit of a Semaphore is not a re-take: no edit drops it.
        fixes: acquisition.lock.kind === 'Semaphore' ? [] : doubleLockFixes(held, acquisition, context.config),
      });
    }
  },
};

/**
 * Whether the chain from the held element to this acquisition calls the function whose variable is the key again
 * (renovate's `withCache({ key })` whose callback reaches `withCache` for another key): the stack leaves that function
 * and comes back into its own body, a second call with its own binding of the key. Only the same key twice in one
 * call of it (or in callbacks it runs) is known to be the same element.
 */
function callsKeyScopeAgain(held: Held, acquisition: AcquisitionFact): boolean {
  const scope = acquisition.lock.indexScope;
  if (!scope) return false;
  let common = 0;
  while (common < held.stack.length && common < acquisition.stack.length && held.stack[common] === acquisition.stack[common]) common++;
  const directlyIn = (node: Node) => node.getFirstAncestor((a) => a === scope || isFunctionLike(a)) === scope;
  const within = (node: Node) => node.getPos() >= scope.getPos() && node.getEnd() <= scope.getEnd() && node.getSourceFile() === scope.getSourceFile();
  let state: 'before' | 'in' | 'left' = 'before';
  for (const node of acquisition.stack.slice(common)) {
    if (state === 'before' && directlyIn(node)) state = 'in';
    else if (state === 'in' && !within(node)) state = 'left';
    else if (state === 'left' && directlyIn(node)) return true;
  }
  return false;
}

/** Why re-taking it hangs or throws, and what to do instead, in the words of the lock's API. */
function consequence(api: string | undefined, mode: string, method: string): string {
  if (api === 'web-locks') return 'Web Locks are not re-entrant, so this request waits for the held lock, which is released only when this callback settles: it waits forever. Do the inner work without requesting the lock again.';
  if (api === 'async-mutex') {
    const waits = method === 'waitForUnlock' ? '`waitForUnlock()` waits for the lock this task holds' : 'an async-mutex Mutex is not re-entrant, so this waits for the lock this task holds';
    return `${waits}, which it releases only after this wait: it waits forever. Call a variant of the inner code that expects the lock held.`;
  }
  if (api === 'custom') {
    return `its class is not re-entrant (\`reentrant\` is not set in \`lockModels\`), so \`${method}()\` waits for a lock this thread holds: it never returns. Release it first, or call a variant that expects it held.`;
  }
  const outcome = mode === 'async' ? 'waits for itself forever' : 'throws DeadlockError';
  return `a Mutex is not reentrant, so this ${outcome}. Release it first, call a variant that expects it held, or use a RecursiveMutex.`;
}
