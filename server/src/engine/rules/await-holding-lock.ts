/**
 * Rule `await-holding-lock`: an `await` reached while holding a lock taken with a blocking or try acquisition.
 * While the coroutine is suspended the thread runs other code, which blocks or throws on that lock. Locks
 * released before the await are not held; locks taken with `lockAsync`/`withLockAsync` are the intended idiom.
 */
import { Node } from 'ts-morph';
import type { Rule } from '../rule.js';
import { spanOf } from '../span.js';
import { awaitHoldingLockFixes } from '../fixes/await-async.js';
import { isAwaitableApi } from '../model/lock-models.js';
import { lockName } from '../model/lock-names.js';

export const awaitHoldingLock: Rule = {
  id: 'await-holding-lock',
  description: 'Finds an await reached while holding a lock taken with a blocking or try acquisition.',
  defaultSeverity: 'warning',
  check(context) {
    for (const fact of context.model.facts.awaits) {
      for (const held of fact.held) {
        // Web Locks and async-mutex hold across `await` by design: their waits never block the thread.
        if (held.mode === 'async' || isAwaitableApi(held.api)) continue;
        const taken = held.stack[held.stack.length - 1]!;
        const suspends = Node.isYieldExpression(fact.node) ? '`yield`' : '`await`';
        context.report({
          rule: 'await-holding-lock',
          message: `${suspends} while holding \`${lockName(held.lock)}\`, taken with \`${held.method}()\` on line ${taken.getStartLineNumber()}: while this coroutine is suspended, other code on this thread that needs \`${lockName(held.lock)}\` blocks the event loop or throws. ${held.api === 'custom' ? 'Take it with an awaitable method of its class' : 'Take it with \`lockAsync()\`/\`withLockAsync()\`'}, or release it before awaiting.`,
          span: spanOf(fact.node),
          related: [{ span: spanOf(taken), message: `\`${lockName(held.lock)}\` taken here` }],
          fixes: awaitHoldingLockFixes(held, fact.node, context.config),
        });
      }
    }
  },
};
