/**
 * Fixes for `non-atomic-update`: rewrite a read-modify-write of a shared typed-array element as the matching
 * `Atomics` operation. When the expression's value is used, the rewrite recomputes it from the old value that
 * the Atomics call returns, and only when the operand can be evaluated twice without a visible difference.
 */
import { Node, SyntaxKind, type Expression } from 'ts-morph';
import type { Fix } from '../types.js';
import { removeStatement } from './edit-text.js';

/** The Atomics method for each read-modify-write operator, and how to rebuild the new value from the old one. */
const OPERATIONS: Record<string, { method: string; symbol: string }> = {
  '+': { method: 'add', symbol: '+' },
  '-': { method: 'sub', symbol: '-' },
  '|': { method: 'or', symbol: '|' },
  '&': { method: 'and', symbol: '&' },
  '^': { method: 'xor', symbol: '^' },
};

/** What the rule found: an update of `element` by `operator` with `operand` (undefined for ++/--, which use 1). */
export interface AtomicUpdate {
  /** The whole expression to replace. */
  node: Node;
  element: { array: Expression; index: Expression };
  /** `+`, `-`, `|`, `&`, `^`, or another operator that has no Atomics twin (then no fix is offered). */
  operator: string;
  operand: Expression | undefined;
  /** True for `x[i]++` / `x[i]--`, whose value is the old element. */
  postfix: boolean;
  bigint: boolean;
}

/** Builds the Atomics rewrite of `update`, or undefined when there is no equivalent Atomics operation. */
export function atomicUpdateFix(update: AtomicUpdate): Fix | undefined {
  const operation = OPERATIONS[update.operator];
  if (operation === undefined) return compareExchangeFix(update);
  const array = update.element.array.getText();
  const index = update.element.index.getText();
  const one = update.bigint ? '1n' : '1';
  const operandText = update.operand === undefined ? one : update.operand.getText();
  const call = `Atomics.${operation.method}(${array}, ${index}, ${operandText})`;

  let replacement: string;
  if (isValueUnused(update.node) || (update.operand === undefined && update.postfix)) {
    // Atomics operations return the old value, which is exactly what a postfix ++/-- evaluates to.
    replacement = call;
  } else if (update.operand === undefined || isRepeatable(update.operand)) {
    replacement = `(${call} ${operation.symbol} ${operandText})`;
  } else {
    return undefined;
  }
  const sourceFile = update.node.getSourceFile();
  const safe = update.operand === undefined || !isFractionalLiteral(update.operand);
  return {
    title: `Use ${call.slice(0, call.indexOf('('))}(...)`,
    // A fractional operand would be truncated by Atomics before adding, unlike `+=`: leave that one to a person.
    safety: safe ? 'safe' : 'unsafe',
    preferred: safe,
    edits: [{ file: sourceFile.getFilePath(), start: update.node.getStart(), end: update.node.getEnd(), newText: replacement }],
  };
}

/** True when nothing reads the expression's value, so returning the old element instead of the new one is harmless. */
export function isValueUnused(node: Node): boolean {
  const parent = node.getParent();
  if (parent === undefined) return false;
  if (Node.isExpressionStatement(parent)) return true;
  if (Node.isForStatement(parent)) return parent.getIncrementor() === node;
  if (Node.isVoidExpression(parent)) return true;
  if (Node.isParenthesizedExpression(parent)) return isValueUnused(parent);
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.CommaToken) {
    return parent.getLeft() === node || isValueUnused(parent);
  }
  return false;
}

/** An expression with no side effects whose second evaluation gives the same value: literals and plain names. */
export function isRepeatable(expression: Expression): boolean {
  if (Node.isNumericLiteral(expression) || Node.isBigIntLiteral(expression) || Node.isIdentifier(expression)) return true;
  if (Node.isPrefixUnaryExpression(expression) && expression.getOperatorToken() === SyntaxKind.MinusToken) {
    return isRepeatable(expression.getOperand());
  }
  if (Node.isPropertyAccessExpression(expression)) {
    const target = expression.getExpression();
    return Node.isThisExpression(target) || (Node.isExpression(target) && isRepeatable(target));
  }
  return false;
}

function isFractionalLiteral(expression: Expression): boolean {
  return Node.isNumericLiteral(expression) && !Number.isInteger(expression.getLiteralValue());
}

/**
 * An update with no Atomics twin (`a[i] *= 2`, `a[i] <<= 1`): a compare-and-swap loop that retries until no other
 * thread wrote between the read and the write. Offered for a whole statement whose array, index and operand can be
 * evaluated again on each try.
 */
function compareExchangeFix(update: AtomicUpdate): Fix | undefined {
  const statement = update.node.getParent();
  if (!statement || !Node.isExpressionStatement(statement) || update.operand === undefined) return undefined;
  if (!isRepeatable(update.element.array) || !isRepeatable(update.element.index) || !isRepeatable(update.operand)) return undefined;
  if (!['*', '/', '%', '**', '<<', '>>', '>>>'].includes(update.operator)) return undefined;
  // `/` and `%` on an integer view truncate on the store, as the plain update does; `**` and shifts likewise.
  const array = update.element.array.getText();
  const index = update.element.index.getText();
  const operand = update.operand.getText();
  const next = `seen ${update.operator} ${/^[\w$.]+$/.test(operand) ? operand : `(${operand})`}`;
  const text = `for (let seen = Atomics.load(${array}, ${index}), found; (found = Atomics.compareExchange(${array}, ${index}, seen, ${next})) !== seen; seen = found);`;
  return {
    title: `Use an Atomics.compareExchange loop`,
    edits: [{ file: statement.getSourceFile().getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText: text }],
    safety: 'safe',
    preferred: true,
  };
}

/**
 * `const seen = a[i];` … `a[i] = seen + 1;`: the update is moved to the read, `const seen = Atomics.add(a, i, 1);`,
 * and the write goes. `seen` keeps the old value it had, and the element changes at the read instead of the write:
 * offered only when the statements between them neither mention the array nor can leave the block (return, throw,
 * break, continue) or suspend (await, yield), so nothing can tell the difference.
 */
export function readThenWriteFix(write: Node, read: Node, variable: string): Fix | undefined {
  const statement = write.getParent();
  if (!statement || !Node.isExpressionStatement(statement)) return undefined;
  const declaration = read.getParent();
  if (!declaration || !Node.isVariableDeclaration(declaration) || declaration.getInitializer() !== read || declaration.getName() !== variable) return undefined;
  const readStatement = declaration.getVariableStatement();
  if (!readStatement || readStatement.getDeclarations().length !== 1 || readStatement.getParent() !== statement.getParent()) return undefined;
  const value = Node.isBinaryExpression(write) ? write.getRight() : Node.isCallExpression(write) ? write.getArguments()[2] : undefined;
  if (value === undefined || !Node.isBinaryExpression(value)) return undefined;
  const operator = value.getOperatorToken().getText();
  const operation = OPERATIONS[operator];
  if (operation === undefined) return undefined;
  const left = value.getLeft().getText();
  const right = value.getRight();
  const other = left === variable ? right : right.getText() === variable && operator !== '-' ? value.getLeft() : undefined;
  if (other === undefined || !(Node.isNumericLiteral(other) || Node.isBigIntLiteral(other))) return undefined;
  if (Node.isNumericLiteral(other) && !Number.isInteger(other.getLiteralValue())) return undefined;
  const element = Node.isElementAccessExpression(read) ? { array: read.getExpression(), index: read.getArgumentExpression() } : undefined;
  if (element === undefined || element.index === undefined) return undefined;
  const array = element.array.getText();
  const block = statement.getParentOrThrow() as Node & { getStatements(): Node[] };
  const statements = block.getStatements();
  const between = statements.slice(statements.indexOf(readStatement) + 1, statements.indexOf(statement));
  const leaves = [SyntaxKind.ReturnStatement, SyntaxKind.ThrowStatement, SyntaxKind.BreakStatement, SyntaxKind.ContinueStatement, SyntaxKind.AwaitExpression, SyntaxKind.YieldExpression];
  for (const s of between) {
    if ([s, ...s.getDescendants()].some((n) => leaves.includes(n.getKind()) || (Node.isIdentifier(n) && n.getText() === array))) return undefined;
  }
  const call = `Atomics.${operation.method}(${array}, ${element.index.getText()}, ${other.getText()})`;
  const file = write.getSourceFile();
  return {
    title: `Use ${call.slice(0, call.indexOf('('))}(...) where \`${variable}\` is read`,
    safety: 'safe',
    preferred: true,
    edits: [
      { file: file.getFilePath(), start: read.getStart(), end: read.getEnd(), newText: call },
      // The write goes, with its line when nothing else shares it.
      removeStatement(statement),
    ],
  };
}
