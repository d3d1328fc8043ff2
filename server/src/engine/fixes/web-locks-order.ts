/**
 * The `lock-order` fix for two nested Web Locks requests: when the outer request's callback does nothing but make
 * the inner request, swapping the two names keeps every statement under the same two locks, taken in the other order.
 */
import { Node } from 'ts-morph';
import type { Fix } from '../types.js';
import { webLockRequest } from '../model/lock-models.js';

/** The one expression a callback consists of: `async () => request(...)`, `{ await request(...); }`, `{ return ...; }`. */
function onlyExpression(callback: Node): Node | undefined {
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

function unwrapAwaited(node: Node): Node {
  let current = node;
  while (Node.isAwaitExpression(current) || Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/** Swaps the names (and options) of `outer` and `inner` when `inner` is all that `outer`'s callback does. */
export function webLocksSwapFix(outer: Node, inner: Node): Fix | undefined {
  if (!Node.isCallExpression(outer) || !Node.isCallExpression(inner)) return undefined;
  const outerRequest = webLockRequest(outer);
  const innerRequest = webLockRequest(inner);
  if (!outerRequest?.callback || !innerRequest) return undefined;
  const only = onlyExpression(outerRequest.callback);
  if (!only || unwrapAwaited(only) !== inner) return undefined;
  const outerArgs = outer.getArguments();
  const innerArgs = inner.getArguments();
  // The options stay with their name: a shared request stays shared.
  if (outerArgs.length !== innerArgs.length) return undefined;
  const path = outer.getSourceFile().getFilePath();
  const edits = outerArgs.slice(0, -1).flatMap((argument, i) => {
    const other = innerArgs[i]!;
    return [
      { file: path, start: argument.getStart(), end: argument.getEnd(), newText: other.getText() },
      { file: path, start: other.getStart(), end: other.getEnd(), newText: argument.getText() },
    ];
  });
  return {
    title: `Request ${innerArgs[0]!.getText()} before ${outerArgs[0]!.getText()}, the order used elsewhere`,
    edits,
    safety: 'safe',
    preferred: true,
  };
}
