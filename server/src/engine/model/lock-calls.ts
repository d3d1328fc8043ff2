/**
 * The calls the walker reads besides the lock models' method tables (condition waits, array methods that run
 * their callbacks in place), and the shapes of expressions whose value is a try-acquisition's result.
 * Kept apart so the walker's file is only about control flow.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Env, Value } from './values.js';
import type { WalkHost } from './walk-host.js';
import { RUNTIME_MODEL, lockCallOf } from './lock-models.js';
import { declarationOf } from './symbol-cache.js';

/** Condition methods that release the condition's mutex while waiting and take it back before returning. */
export const CONDITION_WAITS = new Set(['wait', 'waitFor', 'waitAsync', 'waitForAsync']);
/** Callbacks these run before returning, so they inherit what the caller holds. */
export const IMMEDIATE_ARRAY_METHODS = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'flatMap', 'sort']);

export function unwrapAwait(node: Node): Node {
  let current = node;
  while (Node.isAwaitExpression(current) || Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}

/** `await m.lockAsync()` (through parentheses): the promise is awaited where it is made. */
export function isAwaited(call: Node): boolean {
  let parent = call.getParent();
  while (parent && Node.isParenthesizedExpression(parent)) parent = parent.getParent();
  return parent !== undefined && Node.isAwaitExpression(parent);
}

/** `isMainThread` (true) or `!isMainThread` (false) from worker_threads as a whole condition; undefined otherwise. */
export function mainThreadCondition(condition: Node): boolean | undefined {
  let node = condition;
  let negated = false;
  while (Node.isPrefixUnaryExpression(node) || Node.isParenthesizedExpression(node)) {
    if (Node.isPrefixUnaryExpression(node)) {
      if (node.getOperatorToken() !== SyntaxKind.ExclamationToken) return undefined;
      negated = !negated;
      node = node.getOperand();
    } else node = node.getExpression();
  }
  if (!Node.isIdentifier(node) || node.getText() !== 'isMainThread') return undefined;
  const declaration = declarationOf(node);
  if (!declaration || !Node.isImportSpecifier(declaration)) return undefined;
  if (!/^(node:)?worker_threads$/.test(declaration.getImportDeclaration().getModuleSpecifierValue())) return undefined;
  return !negated;
}

export interface TryCondition {
  lock: Value;
  method: string;
  call: Node;
  negated: boolean;
  /** `custom` for a configured lock class's try method; undefined for the runtime's. */
  api?: 'custom';
}

/** A condition without its parentheses and `!`s, and whether an odd number of `!`s negated it. */
function stripNegations(condition: Node): { node: Node; negated: boolean } {
  let node = condition;
  let negated = false;
  for (;;) {
    if (Node.isParenthesizedExpression(node)) node = node.getExpression();
    else if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.ExclamationToken) {
      negated = !negated;
      node = node.getOperand();
    } else return { node, negated };
  }
}

/** `m.tryLock()` or `!m.tryLock()` as a whole condition: the lock is held in the branch where it succeeded. */
export function tryCondition(condition: Node, host: WalkHost, env: Env): TryCondition | undefined {
  const { node, negated } = stripNegations(condition);
  if (!Node.isCallExpression(node)) return undefined;
  const callee = node.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const custom = host.customLock(callee.getExpression(), callee.getName(), env);
  if (custom) return custom.call.part === 'tryAcquire' ? { lock: custom.lock, method: callee.getName(), call: node, negated, api: 'custom' } : undefined;
  if (lockCallOf(RUNTIME_MODEL, callee.getName())?.part !== 'tryAcquire') return undefined;
  const lock = host.lockValue(callee.getExpression(), env);
  return lock ? { lock, method: callee.getName(), call: node, negated } : undefined;
}

/** A guard variable's test as a whole condition: `g`, `!g`, `g !== undefined`, `g == null`, ...; negated when true means "not taken". */
export interface GuardTest {
  declaration: Node;
  negated: boolean;
}

const NULLISH_TEXT = new Set(['undefined', 'null']);
const EQUALITY: Partial<Record<SyntaxKind, boolean>> = {
  [SyntaxKind.EqualsEqualsEqualsToken]: true,
  [SyntaxKind.EqualsEqualsToken]: true,
  [SyntaxKind.ExclamationEqualsEqualsToken]: false,
  [SyntaxKind.ExclamationEqualsToken]: false,
};

/** Recognises a test of a variable's truthiness (or comparison with undefined/null): the variable's declaration and polarity. */
export function guardTest(condition: Node): GuardTest | undefined {
  let { node, negated } = stripNegations(condition);
  if (Node.isBinaryExpression(node)) {
    const isEquality = EQUALITY[node.getOperatorToken().getKind()];
    if (isEquality === undefined) return undefined;
    const [left, right] = [node.getLeft(), node.getRight()];
    const variable = NULLISH_TEXT.has(right.getText()) ? left : NULLISH_TEXT.has(left.getText()) ? right : undefined;
    if (!variable) return undefined;
    node = variable;
    // `g === undefined` is true when the try failed.
    if (isEquality) negated = !negated;
  }
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = declarationOf(node);
  return declaration ? { declaration, negated } : undefined;
}

/** The mutex a Condition was built on: `new Condition(mutex)` at the condition's declaration. */
export function conditionMutex(receiver: Node, host: WalkHost, env: Env): Value | undefined {
  const condition = host.resolver.resolve(receiver, env);
  if (condition?.kind !== 'Condition' || !condition.declaration) return undefined;
  const declaration = condition.declaration;
  const initializer = Node.isNewExpression(declaration)
    ? declaration
    : Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration)
      ? declaration.getInitializer()
      : undefined;
  const mutex = initializer && Node.isNewExpression(initializer) ? initializer.getArguments()[0] : undefined;
  return mutex ? host.lockValue(mutex, env) : undefined;
}

/**
 * An expression that denotes one element of a collection rather than a named lock: a `for...of` variable, `xs[i]`
 * with a computed index, `taken.pop()`, or the parameter of an array method's callback (`held.forEach((h) => ...)`).
 */
export function isElementExpression(expression: Node): boolean {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isNonNullExpression(node) || Node.isAsExpression(node)) node = node.getExpression();
  if (Node.isElementAccessExpression(node)) {
    const argument = node.getArgumentExpression();
    return argument !== undefined && !Node.isNumericLiteral(argument) && !Node.isStringLiteral(argument);
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    return Node.isPropertyAccessExpression(callee) && /^(pop|shift|at)$/.test(callee.getName());
  }
  if (!Node.isIdentifier(node)) return false;
  const declaration = declarationOf(node);
  if (!declaration) return false;
  if (Node.isVariableDeclaration(declaration)) {
    const loop = declaration.getParent()?.getParent();
    return loop !== undefined && (Node.isForOfStatement(loop) || Node.isForInStatement(loop));
  }
  if (Node.isParameterDeclaration(declaration)) {
    const fn = declaration.getParent();
    const call = fn?.getParent();
    if (!fn || !call || !Node.isCallExpression(call) || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) return false;
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && IMMEDIATE_ARRAY_METHODS.has(callee.getName());
  }
  return false;
}
