/**
 * The `await-holding-lock` fix: take the lock with its async twin, the idiom for holding a lock across an await: while
 * the coroutine waits for it, the thread's other tasks run instead of blocking behind it. The twin is the lock API's
 * own (fixes/lock-api.ts): the runtime's by class (`lockAsync`, `acquireAsync`, `withLockAsync`, `withPermitAsync`),
 * or the one a configured class's model declares; a lock without one gets the unsafe release-before-await instead.
 */
import { Node } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { Held } from '../model/facts.js';
import { functionOf } from './edit-text.js';
import { lockName } from '../model/lock-names.js';
import { lockApiOfCall } from './lock-api.js';

/** The fix for an await reached holding `held`: the async twin where its API has one, else release before the await. */
export function awaitHoldingLockFixes(held: Held, awaitNode: Node, config: DeadboltConfig): Fix[] {
  const fix = asyncAcquisitionFix(held, awaitNode, config) ?? releaseBeforeAwaitFix(held, awaitNode, config);
  return fix === undefined ? [] : [fix];
}

export function asyncAcquisitionFix(held: Held, awaitNode: Node, config: DeadboltConfig): Fix | undefined {
  const call = held.stack.at(-1)!;
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const twin = lockApiOfCall(call, held.api, held.lock.kind, config)?.asyncTwins[callee.getName()];
  if (!twin) return undefined;
  // The acquisition must be in the coroutine that awaits, so `await` is allowed where it is.
  const owner = functionOf(call);
  const parent = call.getParent();
  const awaited = parent !== undefined && Node.isAwaitExpression(parent);
  const isAsync = (fn: Node | undefined): boolean => (fn as { isAsync?(): boolean } | undefined)?.isAsync?.() === true;
  const awaitsIn = functionOf(awaitNode);
  const runsCallback = awaitsIn !== undefined && call.getArguments().at(-1) === awaitsIn;
  if (!owner || !(owner === awaitsIn || runsCallback) || !(awaited || isAsync(owner))) return undefined;
  const file = call.getSourceFile().getFilePath();
  const name = callee.getNameNode();
  const edits: TextEdit[] = [{ file, start: name.getStart(), end: name.getEnd(), newText: twin }];
  if (!awaited) edits.push({ file, start: call.getStart(), end: call.getStart(), newText: 'await ' });
  if (runsCallback) {
    // The callback of withLockAsync may return a promise, which is then awaited before the lock is released.
    const args = call.getArguments();
    const callback = args[args.length - 1];
    if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return undefined;
  }
  const receiver = callee.getExpression().getText();
  return { title: `Take \`${receiver}\` with \`${twin}()\`, so awaiting while holding it blocks no other task`, edits, safety: 'safe', preferred: true };
}

/**
 * Moves the release that directly follows the awaiting statement before it: unsafe, since the awaited work then runs
 * without the lock; offered where the lock cannot be taken asynchronously (a `tryLock`).
 */
export function releaseBeforeAwaitFix(held: Held, awaitNode: Node, config: DeadboltConfig): Fix | undefined {
  const statement = awaitNode.getFirstAncestor((a) => Node.isExpressionStatement(a));
  if (!statement || functionOf(statement) !== functionOf(awaitNode)) return undefined;
  const next = statement.getNextSibling();
  if (!next || !Node.isExpressionStatement(next)) return undefined;
  const call = next.getExpression();
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  const acquisition = held.stack.at(-1)!;
  const releases = lockApiOfCall(acquisition, held.api, held.lock.kind, config)?.methods.release ?? [];
  if (!Node.isPropertyAccessExpression(callee) || !releases.includes(callee.getName())) return undefined;
  const receiver = Node.isCallExpression(acquisition) && Node.isPropertyAccessExpression(acquisition.getExpression()) ? (acquisition.getExpression() as never as { getExpression(): Node }).getExpression().getText() : undefined;
  if (callee.getExpression().getText() !== receiver) return undefined;
  const file = statement.getSourceFile().getFilePath();
  return {
    title: `Release \`${lockName(held.lock)}\` before awaiting (unsafe: the awaited work then runs without it)`,
    edits: [
      { file, start: statement.getStart(), end: statement.getEnd(), newText: next.getText() },
      { file, start: next.getStart(), end: next.getEnd(), newText: statement.getText() },
    ],
    safety: 'unsafe',
    preferred: false,
  };
}
