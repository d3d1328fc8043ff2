/**
 * The `lock-order` fix for two nested run-under calls whose outer callback does nothing but make the inner call
 * (`a.withLock(() => b.withLock(work))`, `await s.runExclusive(async () => t.runExclusive(work))`,
 * `request(A, async () => request(B, work))`): swapping which lock each call takes keeps every statement under the
 * same two locks, taken in the other order. Object locks swap their receivers; Web Locks swap their names and
 * options. Only between calls of one method of one API, so nothing is ever called on a lock that lacks it.
 */
import { Node } from 'ts-morph';
import { webLockRequest } from '../model/lock-models.js';
import type { Fix, TextEdit } from '../types.js';
import { siteOf } from './lock-all.js';
import type { LockApiOf } from './lock-api.js';

/** The one expression a callback consists of: `async () => call(...)`, `{ await call(...); }`, `{ return ...; }`. */
export function onlyExpression(callback: Node): Node | undefined {
  if (!Node.isArrowFunction(callback) && !Node.isFunctionExpression(callback)) return undefined;
  const body = callback.getBody();
  if (!Node.isBlock(body)) return body;
  const statements = body.getStatements();
  if (statements.length !== 1) return undefined;
  const [statement] = statements;
  if (Node.isExpressionStatement(statement)) return statement.getExpression();
  if (Node.isReturnStatement(statement)) return statement.getExpression();
  return undefined;
}

export function unwrapAwaited(node: Node): Node {
  let current = node;
  while (Node.isAwaitExpression(current) || Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/** Swaps two ranges of one file: each takes the other's text. */
function swapRanges(file: string, text: string, a: [number, number], b: [number, number]): TextEdit[] {
  return [
    { file, start: a[0], end: a[1], newText: text.slice(b[0], b[1]) },
    { file, start: b[0], end: b[1], newText: text.slice(a[0], a[1]) },
  ];
}

/** Web Locks: swaps the names (and options) of `outer` and `inner` when `inner` is all that `outer`'s callback does. */
export function webLocksSwapFix(outer: Node, inner: Node): Fix | undefined {
  if (!Node.isCallExpression(outer) || !Node.isCallExpression(inner)) return undefined;
  const outerRequest = webLockRequest(outer);
  const innerRequest = webLockRequest(inner);
  if (!outerRequest?.callback || !innerRequest) return undefined;
  const only = onlyExpression(outerRequest.callback);
  if (!only || unwrapAwaited(only) !== inner) return undefined;
  const outerArgs = outer.getArguments();
  const innerArgs = inner.getArguments();
  // The name with its options, as one range each: a shared request stays shared, an `ifAvailable` one stays so.
  const head = (args: Node[]): [number, number] => [args[0]!.getStart(), args.at(-2)!.getEnd()];
  const file = outer.getSourceFile();
  return {
    title: `Request ${innerArgs[0]!.getText()} before ${outerArgs[0]!.getText()}, the order used elsewhere`,
    edits: swapRanges(file.getFilePath(), file.getFullText(), head(outerArgs), head(innerArgs)),
    safety: 'safe',
    preferred: true,
  };
}

/**
 * Object locks of one API (the runtime's `withLock`, async-mutex's `runExclusive`, a model's run-under method):
 * swaps the receivers of `outer` and `inner` when `inner` is all that `outer`'s callback does and both are the same
 * method, called with the callback alone.
 */
export function nestedSwapFix(outer: Node, inner: Node, lock: LockApiOf): Fix | undefined {
  const outerSite = siteOf(outer, lock);
  const innerSite = siteOf(inner, lock);
  if (outerSite?.kind !== 'callback' || innerSite?.kind !== 'callback') return undefined;
  if (!Node.isCallExpression(outer) || !Node.isCallExpression(inner)) return undefined;
  if (outer.getArguments().length !== 1 || inner.getArguments().length !== 1) return undefined;
  const method = (call: Node): string => ((call as never as { getExpression(): Node }).getExpression() as never as { getName(): string }).getName();
  if (method(outer) !== method(inner)) return undefined;
  const only = onlyExpression(outerSite.callback!);
  if (!only || unwrapAwaited(only) !== inner) return undefined;
  const file = outer.getSourceFile();
  const range = (n: Node): [number, number] => [n.getStart(), n.getEnd()];
  return {
    title: `Take \`${innerSite.receiver.getText()}\` before \`${outerSite.receiver.getText()}\`, the order used elsewhere`,
    edits: swapRanges(file.getFilePath(), file.getFullText(), range(outerSite.receiver), range(innerSite.receiver)),
    safety: 'safe',
    preferred: true,
  };
}
