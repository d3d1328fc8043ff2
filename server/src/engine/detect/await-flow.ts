/**
 * The order of events inside one run of a coroutine, read from its syntax: where it can suspend (`await`, `yield`,
 * `for await`), and whether one point can run after another (not in exclusive branches, no `return` between).
 * Loops are not followed backwards: a point is after another only when it comes later in the text.
 */
import { Node, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import { ownerOf } from './shared-state.js';
import { findNodesCached } from './compiler-walk.js';

/** A point where a coroutine can suspend: `node` is what messages show, `at` where it happens in the text. */
export interface Suspension {
  node: Node;
  /** The `await`/`yield` itself; for `for await`, the iterable, since the loop suspends at its head, not around its body. */
  at: Node;
}

/** Syntactic filter on raw compiler nodes: `await`, `yield` and `for await`. */
function isSuspensionNode(node: ts.Node): boolean {
  return ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined);
}

/** Every suspension of a file, by the function that suspends (nested functions suspend on their own), in document order. */
export function suspensionsByOwner(file: SourceFile): Map<Node, Suspension[]> {
  const byOwner = new Map<Node, Suspension[]>();
  for (const node of findNodesCached(file, isSuspensionNode)) {
    const owner = ownerOf(node);
    if (owner === undefined) continue;
    const at = Node.isForOfStatement(node) ? node.getExpression() : node;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), { node, at }]);
  }
  return byOwner;
}

/** The statement or branch of `ancestor` that contains `node`, or undefined when `node` is not below it. */
function childTowards(ancestor: Node, node: Node): Node | undefined {
  for (let current: Node | undefined = node; current !== undefined; current = current.getParent()) {
    if (current.getParent() === ancestor) return current;
  }
  return undefined;
}

/** True when `a` and `b` lie in the two branches of one `if`, `?:` or `switch`: no run reaches both. */
function exclusive(a: Node, b: Node): boolean {
  for (let current = a.getParent(); current !== undefined; current = current.getParent()) {
    if (b.getStart() >= current.getStart() && b.getEnd() <= current.getEnd()) {
      const left = childTowards(current, a);
      const right = childTowards(current, b);
      if (left === undefined || right === undefined || left === right) return false;
      if (Node.isIfStatement(current)) return left !== current.getExpression() && right !== current.getExpression();
      if (Node.isConditionalExpression(current)) return left !== current.getCondition() && right !== current.getCondition();
      if (Node.isCaseBlock(current)) return true;
      return false;
    }
  }
  return false;
}

/** True when every run that passes `a` leaves the function (a `return` or `throw`) before it could reach `b`. */
function exitsBetween(a: Node, b: Node): boolean {
  for (let current: Node | undefined = a; current !== undefined; current = current.getParent()) {
    const parent = current.getParent();
    if (parent === undefined || (b.getStart() >= parent.getStart() && b.getEnd() <= parent.getEnd())) {
      // The statement holding `a` inside the block shared with `b`: a `return await x` leaves at once.
      return Node.isReturnStatement(current) || Node.isThrowStatement(current);
    }
    if (Node.isReturnStatement(current) || Node.isThrowStatement(current)) return true;
    if (Node.isBlock(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const statements = parent.getStatements();
      const later = statements.slice(statements.indexOf(current as never) + 1);
      if (later.some((s) => s.getKind() === SyntaxKind.ReturnStatement || s.getKind() === SyntaxKind.ThrowStatement)) return true;
    }
  }
  return false;
}

/** Whether one run of a function can pass `a` and then `b` (`b` may contain `a`: its operands run first). */
export function mayFollow(a: Node, b: Node): boolean {
  if (a.getStart() >= b.getEnd()) return false;
  return !exclusive(a, b) && !exitsBetween(a, b);
}

/**
 * The region a check guards: the branch it chose, or, when the other branch always leaves the function, everything
 * after the `if` in its block. Returns whether `node` lies in it.
 */
export function guardedBy(check: Node, node: Node): boolean {
  if (Node.isIfStatement(check)) {
    const then = check.getThenStatement();
    const otherwise = check.getElseStatement();
    if (contains(then, node) || (otherwise !== undefined && contains(otherwise, node))) return true;
    if (node.getStart() < check.getEnd()) return false;
    if (otherwise !== undefined && alwaysExits(otherwise)) return true;
    return alwaysExits(then) && !neverTakenOnWayTo(check, node);
  }
  if (Node.isConditionalExpression(check)) return contains(check.getWhenTrue(), node) || contains(check.getWhenFalse(), node);
  return false;
}

function contains(outer: Node, inner: Node): boolean {
  return inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();
}

/** A statement after which control never falls through: `return`, `throw`, or a block ending in one. */
function alwaysExits(statement: Node): boolean {
  if (Node.isReturnStatement(statement) || Node.isThrowStatement(statement)) return true;
  if (Node.isBlock(statement)) {
    const last = statement.getStatements().at(-1);
    return last !== undefined && alwaysExits(last);
  }
  return false;
}

/** The operands of a chain of `&&`: each must hold for the whole to hold. */
function conjuncts(condition: Node): Node[] {
  const node = stripParentheses(condition);
  if (Node.isBinaryExpression(node) && node.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken) return [...conjuncts(node.getLeft()), ...conjuncts(node.getRight())];
  return [node];
}

function stripParentheses(node: Node): Node {
  return Node.isParenthesizedExpression(node) ? stripParentheses(node.getExpression()) : node;
}

const COMPLEMENTS = new Map([
  [SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken],
  [SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsEqualsToken],
  [SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken],
  [SyntaxKind.ExclamationEqualsToken, SyntaxKind.EqualsEqualsToken],
]);

/** Whether `a` and `b` cannot both hold, read from their text: `x` and `!x`, `x === v` and `x !== v`. */
function contradict(a: Node, b: Node): boolean {
  const text = (n: Node): string => stripParentheses(n).getText().replace(/\s+/g, '');
  if (Node.isPrefixUnaryExpression(a) && a.getOperatorToken() === SyntaxKind.ExclamationToken) return text(a.getOperand()) === text(b);
  if (Node.isPrefixUnaryExpression(b) && b.getOperatorToken() === SyntaxKind.ExclamationToken) return text(b.getOperand()) === text(a);
  if (!Node.isBinaryExpression(a) || !Node.isBinaryExpression(b)) return false;
  return COMPLEMENTS.get(a.getOperatorToken().getKind()) === b.getOperatorToken().getKind() && text(a.getLeft()) === text(b.getLeft()) && text(a.getRight()) === text(b.getRight());
}

/**
 * Whether an early exit `if (a && b) return` cannot be taken by a run that reaches `node`: `node` sits in the branch of
 * a later `if` whose condition contradicts one of `a`, `b` (vscode-wasm's `fd_readdir` returns early when
 * `cookie !== 0n && !entries.has(fd)`, and fills `entries` only under `if (cookie === 0n)`). Such a check guards
 * nothing on the way to `node`.
 */
function neverTakenOnWayTo(check: Node & { getExpression(): Node }, node: Node): boolean {
  const exitWhen = conjuncts(check.getExpression());
  if (exitWhen.length < 2) return false;
  for (let current: Node | undefined = node; current !== undefined && current.getStart() > check.getEnd(); current = current.getParent()) {
    const parent = current.getParent();
    if (parent === undefined || !Node.isIfStatement(parent) || parent.getThenStatement() !== current) continue;
    const holds = conjuncts(parent.getExpression());
    if (exitWhen.some((a) => holds.some((b) => contradict(a, b)))) return true;
  }
  return false;
}
