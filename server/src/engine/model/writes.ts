/**
 * Which expressions write to a field or module variable, and which declaration they write: the input of
 * `unguarded-write` and of the other rules' "shared state" checks. Locals of a function are never shared.
 */
import { Node, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import type { WriteFact } from './facts.js';
import { isCompilerInlineCallback } from './call-graph.js';
import { wrap } from '../detect/compiler-walk.js';
import { aliasedDeclarationOf, declarationOf } from './symbol-cache.js';

/** Methods of arrays, maps and sets that change their receiver. */
export const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'delete', 'clear', 'add', 'fill', 'sort', 'reverse', 'copyWithin']);

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken, SyntaxKind.PlusEqualsToken, SyntaxKind.MinusEqualsToken, SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken, SyntaxKind.PercentEqualsToken, SyntaxKind.AmpersandEqualsToken, SyntaxKind.BarEqualsToken,
  SyntaxKind.CaretEqualsToken, SyntaxKind.LessThanLessThanEqualsToken, SyntaxKind.GreaterThanGreaterThanEqualsToken,
  SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, SyntaxKind.AsteriskAsteriskEqualsToken,
  SyntaxKind.BarBarEqualsToken, SyntaxKind.AmpersandAmpersandEqualsToken, SyntaxKind.QuestionQuestionEqualsToken,
]);

/** An assignment, `++`/`--`, or `delete`. Mutating method calls are handled by `mutatedByCall`. */
export function isMutation(node: Node): boolean {
  if (Node.isBinaryExpression(node)) return ASSIGNMENTS.has(node.getOperatorToken().getKind());
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
    const op = node.getOperatorToken();
    return op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken;
  }
  return Node.isDeleteExpression(node);
}

/** The receiver a mutating method call (`this.items.push(x)`) changes, if any. */
export function mutatedByCall(node: Node): Node | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  const callee = node.getExpression();
  return Node.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.getName()) ? callee.getExpression() : undefined;
}

export interface WriteTarget {
  /** The field, property or module variable's declaration. */
  declaration: Node;
  /** The object expression the field belongs to (`this`, `acct`), for fields. */
  base?: Node;
}

/** The shared location a mutation writes, or undefined for locals and anything unknown. */
export function writeTarget(node: Node): WriteTarget | undefined {
  let written: Node | undefined;
  if (Node.isBinaryExpression(node)) written = node.getLeft();
  else if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) written = node.getOperand();
  else if (Node.isDeleteExpression(node)) written = node.getExpression();
  else written = mutatedByCall(node);
  return written ? locationOf(written) : undefined;
}

function locationOf(expression: Node): WriteTarget | undefined {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isNonNullExpression(node)) node = node.getExpression();
  // `this.cells[i] = v` writes the `cells` field.
  while (Node.isElementAccessExpression(node)) node = node.getExpression();
  if (Node.isPropertyAccessExpression(node)) {
    const declaration = declarationOf(node.getNameNode());
    if (!declaration) return undefined;
    if (Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration) || Node.isPropertySignature(declaration) || Node.isPropertyAssignment(declaration)) {
      return { declaration, base: node.getExpression() };
    }
    return undefined;
  }
  if (Node.isIdentifier(node)) {
    const declaration = aliasedDeclarationOf(node);
    // Only module-level variables are shared between functions (and, through workers, between threads).
    if (declaration && Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getParent() === declaration.getSourceFile()) {
      return { declaration };
    }
  }
  return undefined;
}

/** Names that may be shared state: written somewhere while walking, or declared `@guardedBy`. */
export function sharedNames(files: readonly SourceFile[], writes: readonly WriteFact[]): Set<string> {
  const names = new Set<string>();
  for (const write of writes) if (Node.hasName(write.target)) names.add(write.target.getName());
  const declared = /@guardedBy\s+[\w$.]+\s*\*\/\s*(?:(?:private|public|protected|readonly|static|export|declare|let|const|var)\s+)*([\w$]+)/g;
  for (const file of files) {
    const text = file.getFullText();
    if (!text.includes('@guardedBy')) continue;
    for (const match of text.matchAll(declared)) names.add(match[1]!);
  }
  return names;
}

function writtenName(node: ts.Node): string | undefined {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isElementAccessExpression(current)) current = current.expression;
  if (ts.isPropertyAccessExpression(current)) return current.name.text;
  if (ts.isIdentifier(current)) return current.text;
  return undefined;
}

/** Mutations in `fn` (and callbacks it runs in place) of a name in `names`, found on the compiler's nodes. */
export function scanWrites(file: SourceFile, fn: ts.Node, names: ReadonlySet<string>, inPlace?: ReadonlySet<string>): Node[] {
  const found: Node[] = [];
  const visit = (node: ts.Node): void => {
    let written: ts.Node | undefined;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) written = node.left;
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) written = node.operand;
    else if (ts.isDeleteExpression(node)) written = node.expression;
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATING_METHODS.has(node.expression.name.text)) written = node.expression.expression;
    if (written) {
      const name = writtenName(written);
      if (name !== undefined && names.has(name)) found.push(wrap(file, node));
    }
    // Nested functions are scanned (or walked) as functions of their own; callbacks run in place stay with `fn`.
    if (node !== fn && (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isClassLike(node) || ts.isConstructorDeclaration(node) || ts.isAccessor(node))) return;
    if (node !== fn && (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && !isCompilerInlineCallback(node, inPlace)) return;
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}
