/**
 * The `unguarded-write` fix: wrap the write's statement in its guard's `withLock` (`withLockAsync`, awaited, in a
 * coroutine). Offered only where the write holds no other lock, since taking the guard then adds no lock-order edge.
 * Adjacent writes that miss the same guard (a reset of two counters) go into one section, so they stay one update.
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

/** The statement a write is the whole expression of, if it is one. */
export function writeStatement(write: Node): Node | undefined {
  let expression: Node = write;
  while (Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const statement = expression.getParent();
  return statement && Node.isExpressionStatement(statement) ? statement : undefined;
}

/** `statement` and the statements right before and after it in its block that are in `together`, in order. */
function runAround(statement: Node, together: ReadonlySet<Node>): Node[] {
  const siblings = statement.getParent()?.getChildSyntaxList()?.getChildren() ?? statement.getParent()?.getChildren() ?? [statement];
  let first = siblings.indexOf(statement);
  let last = first;
  while (first > 0 && together.has(siblings[first - 1]!)) first--;
  while (last < siblings.length - 1 && together.has(siblings[last + 1]!)) last++;
  return first < 0 ? [statement] : siblings.slice(first, last + 1);
}

/**
 * The fix of one write: `lock` is the guard as code, `label` its name for the title; `together` holds the
 * statements of the other writes that miss the same guard, so a run of them is wrapped as one.
 */
export function guardWriteFix(write: Node, lock: string, held: readonly LockRef[], label = lock, together: ReadonlySet<Node> = new Set()): Fix | undefined {
  const statement = writeStatement(write);
  if (!statement) return undefined;
  if (!resolvable(lock, statement)) return undefined;
  const run = runAround(statement, together);
  const kinds = [SyntaxKind.AwaitExpression, SyntaxKind.YieldExpression];
  if (run.some((s) => s.getDescendants().some((n) => kinds.includes(n.getKind()) && functionOf(n) === functionOf(statement)))) return undefined;
  const owner = functionOf(statement) as (Node & { isAsync?(): boolean }) | undefined;
  const coroutine = owner?.isAsync?.() === true;
  const indent = indentOf(run[0]!);
  const full = statement.getSourceFile().getFullText();
  // A comment after the last write on its line belongs to that write, so it moves into the section with it.
  const lineEnd = full.indexOf('\n', run.at(-1)!.getEnd());
  const trailing = /^[ \t]*\/\/[^\n]*/.exec(full.slice(run.at(-1)!.getEnd(), lineEnd < 0 ? full.length : lineEnd))?.[0] ?? '';
  const end = run.at(-1)!.getEnd() + trailing.length;
  const text = full.slice(run[0]!.getStart(), end);
  const body = reindentText(text, indent, `${indent}  `);
  const call = coroutine ? `await ${lock}.withLockAsync(() => {` : `${lock}.withLock(() => {`;
  // Taking the guard while holding another lock adds a lock-order edge, maybe a cycle: no fix to offer then.
  if (held.some((l) => l.name !== lock)) return undefined;
  return {
    title: run.length > 1 ? `Take \`${label}\` around these ${run.length} writes, as one update` : `Take \`${label}\` around this write`,
    edits: [{ file: statement.getSourceFile().getFilePath(), start: run[0]!.getStart(), end, newText: `${call}\n${indent}  ${body}\n${indent}});` }],
    safety: 'safe',
    preferred: true,
  };
}
