/**
 * Web Locks fixes that move work between nested requests: for `lock-order`, two requests trade places around the
 * outer callback's work (unsafe: that work then runs holding both); for `double-lock`, a request nested in one of the
 * same name runs its work in place. The plain swap of two nested requests is swap-nested.ts's.
 */
import { Node } from 'ts-morph';
import type { Fix } from '../types.js';
import { webLockRequest } from '../model/lock-models.js';
import { indentOf, lineStartOf, returnsFrom, statementsText } from './edit-text.js';
import { unwrapAwaited } from './swap-nested.js';

/**
 * When the outer callback does other work first and ends with the inner request, the two requests trade places
 * around the whole callback: `request(inner, async () => request(outer, async () => { work; inner body }))`. The
 * work before the inner request then runs holding both locks, so the fix is unsafe and says so.
 */
export function webLocksNestFix(outer: Node, inner: Node): Fix | undefined {
  if (!Node.isCallExpression(outer) || !Node.isCallExpression(inner)) return undefined;
  const outerRequest = webLockRequest(outer);
  const innerRequest = webLockRequest(inner);
  const outerCallback = outerRequest?.callback;
  const innerCallback = innerRequest?.callback;
  if (!outerCallback || !innerCallback) return undefined;
  if (!(Node.isArrowFunction(outerCallback) || Node.isFunctionExpression(outerCallback)) || !(Node.isArrowFunction(innerCallback) || Node.isFunctionExpression(innerCallback))) return undefined;
  if (outerCallback.getParameters().length > 0 || innerCallback.getParameters().length > 0) return undefined;
  const outerBody = outerCallback.getBody();
  const innerBody = innerCallback.getBody();
  if (!Node.isBlock(outerBody) || !Node.isBlock(innerBody)) return undefined;
  const statements = outerBody.getStatements();
  const last = statements.at(-1);
  if (!last || !Node.isExpressionStatement(last) || unwrapAwaited(last.getExpression()) !== inner || statements.length < 2) return undefined;
  // A `return` in the inner callback returned from it, not from the outer one.
  if (returnsFrom(innerCallback, innerBody.getStatements())) return undefined;
  const file = outer.getSourceFile();
  const text = file.getFullText();
  const indent = indentOf(outer);
  const before = statementsText(statements.slice(0, -1));
  const moved = outdented(innerBody.getStatements());
  const callee = outer.getExpression().getText();
  const args = (call: Node & { getArguments(): Node[] }): string => call.getArguments().slice(0, -1).map((a) => a.getText()).join(', ');
  const head = text.slice(outerCallback.getStart(), outerBody.getStart());
  const newText = `${callee}(${args(inner)}, async () => ${callee}(${args(outer)}, ${head}{\n${before}${moved ? `\n${moved}` : ''}\n${indent}}))`;
  return {
    title: `Request ${inner.getArguments()[0]!.getText()} before ${outer.getArguments()[0]!.getText()}, the order used elsewhere (unsafe: the work before the inner request then runs holding both)`,
    edits: [{ file: file.getFilePath(), start: outer.getStart(), end: outer.getEnd(), newText }],
    safety: 'unsafe',
    preferred: false,
  };
}

/**
 * The double-lock fix for a request nested directly in a request of the same name (`request('cache', async () => {
 * await request('cache', async () => { work }) })`): the outer request already holds the lock, so the inner one's
 * work runs in its place. Only for a statement `await request(...)` whose callback takes no lock argument and
 * returns nothing.
 */
export function webLocksInlineFix(held: Node, inner: Node): Fix | undefined {
  if (!Node.isCallExpression(inner)) return undefined;
  const request = webLockRequest(inner);
  const callback = request?.callback;
  if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback)) || callback.getParameters().length > 0) return undefined;
  const body = callback.getBody();
  if (!Node.isBlock(body)) return undefined;
  const statement = inner.getParent()?.getParent();
  if (!Node.isAwaitExpression(inner.getParent()) || !statement || !Node.isExpressionStatement(statement)) return undefined;
  // Directly inside the holding request's callback, not through a callee.
  const heldRequest = Node.isCallExpression(held) ? webLockRequest(held) : undefined;
  if (!heldRequest?.callback || statement.getFirstAncestor((a) => Node.isArrowFunction(a) || Node.isFunctionExpression(a)) !== heldRequest.callback) return undefined;
  if (returnsFrom(callback, body.getStatements())) return undefined;
  const file = inner.getSourceFile();
  const text = file.getFullText();
  const start = lineStartOf(statement);
  const lineEnd = text.indexOf('\n', statement.getEnd());
  const moved = outdented(body.getStatements());
  return {
    title: `Do the work under the ${inner.getArguments()[0]!.getText()} lock already held, without requesting it again`,
    edits: [{ file: file.getFilePath(), start, end: lineEnd < 0 ? statement.getEnd() : lineEnd, newText: moved }],
    safety: 'safe',
    preferred: true,
  };
}

/** A callback's statements one level (two spaces) less indented, to stand in its caller's body; '' for none. */
function outdented(statements: readonly Node[]): string {
  if (statements.length === 0) return '';
  return statementsText(statements)
    .split('\n')
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n');
}
