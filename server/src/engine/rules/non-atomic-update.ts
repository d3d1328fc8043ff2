/**
 * Rule `non-atomic-update`: a read-modify-write of a shared typed-array element (`+=`, `++`, `x[i] = x[i] + 1`,
 * a read into a const that is written back later, or `Atomics.load` fed into `Atomics.store`) with no lock held,
 * so two threads can lose an update.
 * Shared memory is recognised by type and provenance (detect/shared-views.ts); the fix is the Atomics twin.
 */
import { Node, SyntaxKind, ts, type ElementAccessExpression, type Expression, type SourceFile } from 'ts-morph';
import type { Rule, RuleContext } from '../rule.js';
import { sharedViewOf, type SharedView } from '../detect/shared-views.js';
import { isGuardedByLockCallback, isInsideHandRolledLock } from '../detect/lock-regions.js';
import { atomicUpdateFix, type AtomicUpdate, readThenWriteFix } from '../fixes/atomics.js';
import { spanOf } from '../span.js';
import { SlotWriters } from '../detect/slot-writers.js';
import { findNodesCached, skipOuterExpressions } from '../detect/compiler-walk.js';

/** Compound assignment operators and the binary operator each one applies. */
const COMPOUND: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.PlusEqualsToken]: '+',
  [SyntaxKind.MinusEqualsToken]: '-',
  [SyntaxKind.BarEqualsToken]: '|',
  [SyntaxKind.AmpersandEqualsToken]: '&',
  [SyntaxKind.CaretEqualsToken]: '^',
  [SyntaxKind.AsteriskEqualsToken]: '*',
  [SyntaxKind.SlashEqualsToken]: '/',
  [SyntaxKind.PercentEqualsToken]: '%',
  [SyntaxKind.AsteriskAsteriskEqualsToken]: '**',
  [SyntaxKind.LessThanLessThanEqualsToken]: '<<',
  [SyntaxKind.GreaterThanGreaterThanEqualsToken]: '>>',
  [SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: '>>>',
};

/** Binary operators with an Atomics twin; `a[i] = v OP a[i]` is only the same update when OP commutes. */
const REWRITABLE = new Set(['+', '-', '|', '&', '^']);
const COMMUTATIVE = new Set(['+', '|', '&', '^']);

export const nonAtomicUpdate: Rule = {
  id: 'non-atomic-update',
  description: 'A read-modify-write on shared memory with no lock held and no Atomics call, so concurrent updates can be lost.',
  defaultSeverity: 'error',
  check(context) {
    const writers = new SlotWriters(context.project);
    for (const file of context.files) checkFile(context, file, writers);
  },
};

function checkFile(context: RuleContext, file: SourceFile, writers: SlotWriters): void {
  // Cheap textual gate: every shape this rule reports indexes an array and writes it back.
  const text = file.getFullText();
  if (!text.includes('[') && !text.includes('Atomics')) return;
  for (const node of findNodesCached(file, isCandidate)) {
    const found = matchUpdate(node);
    if (found === undefined) continue;
    const view = sharedViewOf(found.element.array);
    if (view === undefined) continue;
    if (context.model.heldAt(node).length > 0 || isGuardedByLockCallback(node) || isInsideHandRolledLock(node)) continue;
    // A slot only this thread writes: the others read it, and no update of theirs can be lost.
    if (writers.isSingleWriterSlot(node, found.element.index, view.kind)) continue;
    const { read, ...shape } = found;
    const update: AtomicUpdate = { ...shape, node, bigint: view.bigint };
    const fix = !view.atomicCapable ? undefined : read === undefined ? atomicUpdateFix(update) : readThenWriteFix(node, read.node, read.variable);
    context.report({
      rule: 'non-atomic-update',
      message: messageFor(update, view, read?.variable),
      span: spanOf(node),
      related: read === undefined ? [] : [{ span: spanOf(read.node), message: `read into \`${read.variable}\` here` }],
      fixes: fix === undefined ? [] : [fix],
    });
  }
}

/** Cheap syntactic filter on raw compiler nodes: an update, assignment or `Atomics.store` of an indexed element. */
function isCandidate(node: ts.Node): boolean {
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    const increments = node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
    return increments && ts.isElementAccessExpression(skipOuterExpressions(node.operand));
  }
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    const assigns = kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
    return assigns && ts.isElementAccessExpression(skipOuterExpressions(node.left));
  }
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'store' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Atomics';
  }
  return false;
}

/** An update shape; `read` is set when the element was read into a variable by an earlier statement. */
type Match = Omit<AtomicUpdate, 'node' | 'bigint'> & { read?: { node: Node; variable: string } };

/** Recognises the four read-modify-write shapes; returns undefined for anything else. */
function matchUpdate(node: Node): Match | undefined {
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const token = node.getOperatorToken();
    if (token !== SyntaxKind.PlusPlusToken && token !== SyntaxKind.MinusMinusToken) return undefined;
    const element = elementOf(node.getOperand());
    if (element === undefined) return undefined;
    return { element, operator: token === SyntaxKind.PlusPlusToken ? '+' : '-', operand: undefined, postfix: Node.isPostfixUnaryExpression(node) };
  }
  if (Node.isBinaryExpression(node)) {
    const kind = node.getOperatorToken().getKind();
    const compound = COMPOUND[kind];
    if (compound !== undefined) {
      const element = elementOf(node.getLeft());
      return element === undefined ? undefined : { element, operator: compound, operand: node.getRight(), postfix: false };
    }
    if (kind === SyntaxKind.EqualsToken) {
      const element = elementOf(node.getLeft());
      return readThenWrite(node.getLeft(), node.getRight()) ?? (element === undefined ? undefined : readEarlier(element, node.getRight(), false));
    }
    return undefined;
  }
  if (Node.isCallExpression(node) && node.getExpression().getText() === 'Atomics.store') {
    // `Atomics.store(a, i, Atomics.load(a, i) + 1)`: each half is atomic, the pair is not.
    const [array, index, value] = node.getArguments();
    if (array === undefined || index === undefined || value === undefined) return undefined;
    if (!Node.isExpression(array) || !Node.isExpression(index) || !Node.isExpression(value)) return undefined;
    return loadThenStore(array, index, value) ?? readEarlier({ array, index }, value, true);
  }
  return undefined;
}

/** `a[i] = a[i] OP v` (or `v OP a[i]` for commutative OP) with an index free of side effects. */
function readThenWrite(left: Expression, right: Expression): Match | undefined {
  const element = elementOf(left);
  if (element === undefined || !isPure(element.index)) return undefined;
  const value = unparenthesize(right);
  if (!Node.isBinaryExpression(value)) return undefined;
  const operator = value.getOperatorToken().getText();
  if (!REWRITABLE.has(operator) && !['*', '/', '%'].includes(operator)) return undefined;
  const same = (e: Expression) => unparenthesize(e).getText() === left.getText();
  if (same(value.getLeft())) return { element, operator, operand: value.getRight(), postfix: false };
  if (same(value.getRight()) && COMMUTATIVE.has(operator)) return { element, operator, operand: value.getLeft(), postfix: false };
  if (same(value.getRight())) return { element, operator: `${operator}(reversed)`, operand: value.getLeft(), postfix: false };
  return undefined;
}

/**
 * Read-then-write across statements: `const v = x[i]; ... x[i] = v + 1` (or through `Atomics.load` and
 * `Atomics.store`). The written value uses a const of the same function whose initializer read the same element.
 */
function readEarlier(element: { array: Expression; index: Expression }, value: Expression, atomicWrite: boolean): Match | undefined {
  if (!isPure(element.index)) return undefined;
  const plain = normalize(`${element.array.getText()}[${element.index.getText()}]`);
  const load = normalize(`Atomics.load(${element.array.getText()}, ${element.index.getText()})`);
  const writer = value.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isSourceFile(n));
  const names = Node.isIdentifier(value) ? [value] : value.getDescendantsOfKind(SyntaxKind.Identifier);
  for (const name of names) {
    for (const declaration of name.getSymbol()?.getDeclarations() ?? []) {
      if (!Node.isVariableDeclaration(declaration) || declaration.getVariableStatement()?.getDeclarationKind() !== 'const') continue;
      const initializer = declaration.getInitializer();
      if (initializer === undefined || declaration.getEnd() > value.getStart()) continue;
      if (declaration.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isSourceFile(n)) !== writer) continue;
      // Atomics.load then Atomics.store is how a single writer publishes (a ring buffer's write index, seen
      // in ringbuf.js): deliberate, so only a plain read or a plain write on one side counts.
      const read = [initializer, ...initializer.getDescendants()].find((n) => {
        if (Node.isElementAccessExpression(n)) return normalize(n.getText()) === plain;
        return !atomicWrite && Node.isCallExpression(n) && normalize(n.getText()) === load;
      });
      if (read !== undefined) return { element, operator: 'read-then-write', operand: undefined, postfix: false, read: { node: read, variable: declaration.getName() } };
    }
  }
  return undefined;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, '');
}

function loadThenStore(array: Expression, index: Expression, value: Expression): Match | undefined {
  const binary = unparenthesize(value);
  if (!Node.isBinaryExpression(binary) || !isPure(index)) return undefined;
  const operator = binary.getOperatorToken().getText();
  const load = `Atomics.load(${array.getText()}, ${index.getText()})`;
  const isLoad = (e: Expression) => {
    const inner = unparenthesize(e);
    return Node.isCallExpression(inner) && inner.getText().replace(/\s+/g, ' ') === load;
  };
  if (isLoad(binary.getLeft())) return { element: { array, index }, operator, operand: binary.getRight(), postfix: false };
  if (isLoad(binary.getRight()) && COMMUTATIVE.has(operator)) return { element: { array, index }, operator, operand: binary.getLeft(), postfix: false };
  return undefined;
}

function elementOf(expression: Expression): { array: Expression; index: Expression } | undefined {
  const target = unparenthesize(expression);
  if (!Node.isElementAccessExpression(target)) return undefined;
  const index = (target as ElementAccessExpression).getArgumentExpression();
  return index === undefined ? undefined : { array: target.getExpression(), index };
}

/** Strips what does not change which element is read or written: parentheses, `!`, `as`, `satisfies`. */
function unparenthesize(expression: Expression): Expression {
  let current = expression;
  while (
    Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current) ||
    Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isTypeAssertion(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

/** No calls, no assignments, no ++/--: evaluating it twice reads the same element. */
function isPure(expression: Expression): boolean {
  return !expression.getDescendants().concat(expression).some((n) => {
    if (Node.isCallExpression(n) || Node.isNewExpression(n) || Node.isPostfixUnaryExpression(n)) return true;
    if (Node.isPrefixUnaryExpression(n)) {
      const token = n.getOperatorToken();
      return token === SyntaxKind.PlusPlusToken || token === SyntaxKind.MinusMinusToken;
    }
    return Node.isBinaryExpression(n) && n.getOperatorToken().getText().endsWith('=') && !['==', '===', '!=', '!==', '<=', '>='].includes(n.getOperatorToken().getText());
  });
}

function messageFor(update: AtomicUpdate, view: SharedView, variable?: string): string {
  const target = `${update.element.array.getText()}[${update.element.index.getText()}]`;
  const how = variable === undefined ? 'is read, modified and written back' : `is read into \`${variable}\` and written back here`;
  const base = `\`${target}\` ${how} without a lock or an Atomics read-modify-write; ${view.kind} is shared memory, so a concurrent update from another thread can be lost.`;
  if (!view.atomicCapable) return `${base} ${view.kind} has no Atomics arithmetic: guard it with a lock.`;
  const method = { '+': 'add', '-': 'sub', '|': 'or', '&': 'and', '^': 'xor' }[update.operator];
  return method === undefined ? `${base} Guard it with a lock or use an Atomics.compareExchange loop.` : `${base} Use Atomics.${method} or take a lock.`;
}
