/**
 * The `unguarded-write` fix: wrap the write's statement in its guard's `withLock` (`withLockAsync`, awaited, in a
 * coroutine). Offered only where the write holds no other lock, since taking the guard then adds no lock-order edge.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Fix } from '../types.js';
import type { LockRef } from '../rule.js';
import { functionOf, indentOf, reindentText } from './edit-text.js';

/** Whether `lock` (as code: `this.mutex`, `other.mutex`, `statsLock`) names something visible at `at`. */
function resolvable(lock: string, at: Node): boolean {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(lock)) return false;
  const root = lock.split('.')[0]!;
  if (root === 'this') return functionOf(at) !== undefined && !Node.isFunctionExpression(functionOf(at)!) && !Node.isFunctionDeclaration(functionOf(at)!);
  const file = at.getSourceFile();
  if (file.getVariableDeclaration(root)) return true;
  if (file.getImportDeclarations().some((d) => d.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === root) || d.getNamespaceImport()?.getText() === root)) return true;
  // A parameter or local of an enclosing function.
  let scope: Node | undefined = functionOf(at);
  while (scope) {
    if ((scope as never as { getParameters?(): Node[] }).getParameters?.().some((p) => (p as never as { getName(): string }).getName() === root)) return true;
    if (scope.getDescendantsOfKind(SyntaxKind.VariableDeclaration).some((d) => d.getName() === root && d.getStart() < at.getStart())) return true;
    scope = functionOf(scope);
  }
  return false;
}

export function guardWriteFix(write: Node, lock: string, held: readonly LockRef[]): Fix | undefined {
  let expression: Node = write;
  while (Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const statement = expression.getParent();
  if (!statement || !Node.isExpressionStatement(statement)) return undefined;
  if (!resolvable(lock, statement)) return undefined;
  const kinds = [SyntaxKind.AwaitExpression, SyntaxKind.YieldExpression];
  if (statement.getDescendants().some((n) => kinds.includes(n.getKind()) && functionOf(n) === functionOf(statement))) return undefined;
  const owner = functionOf(statement) as (Node & { isAsync?(): boolean }) | undefined;
  const coroutine = owner?.isAsync?.() === true;
  const indent = indentOf(statement);
  const body = reindentText(statement.getText(), indent, `${indent}  `);
  const call = coroutine ? `await ${lock}.withLockAsync(() => {` : `${lock}.withLock(() => {`;
  // Taking the guard while holding another lock adds a lock-order edge, maybe a cycle: no fix to offer then.
  if (held.some((l) => l.name !== lock)) return undefined;
  return {
    title: `Take \`${lock}\` around this write`,
    edits: [{ file: statement.getSourceFile().getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText: `${call}\n${indent}  ${body}\n${indent}});` }],
    safety: 'safe',
    preferred: true,
  };
}
