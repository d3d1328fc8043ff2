/**
 * The `lock-leak` fixes. `try { … } finally { release }` from the acquisition to its release in the same block is
 * safe: only the paths that leaked change, and they now release. A `using` guard (for `lock`, `lockAsync` and a
 * kept `tryLock` guard) drops the hand-written releases and releases at the end of the block instead: safe when
 * nothing but a `return` of a plain value follows a release it replaces, unsafe (and titled so) otherwise.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Fix, TextEdit } from '../types.js';
import type { Held } from '../model/facts.js';
import { functionOf, indentOf, lineStartOf, reindentText, removeStatement, statementOfCall, statementsText } from './edit-text.js';

const RELEASING = new Set(['unlock', 'release']);

interface Acquisition {
  statement: Node;
  /** What releases it: the lock expression, or the guard variable. */
  target: string;
  guard?: string;
  /** `m.lock()` (or the awaited `lockAsync`/`tryLock` call) as written. */
  initializer: Node;
  usable: boolean;
}

function acquisitionOf(call: Node): Acquisition | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const guardReturning = method === 'lock' || method === 'lockAsync' || method === 'tryLock';
  let expression: Node = call;
  while (Node.isAwaitExpression(expression.getParent()!) || Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const parent = expression.getParent();
  if (parent && Node.isExpressionStatement(parent)) {
    if (method === 'tryLock') return undefined;
    return { statement: parent, target: callee.getExpression().getText(), initializer: expression, usable: guardReturning };
  }
  if (parent && Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) {
    const statement = parent.getVariableStatement();
    if (!statement || statement.getDeclarations().length !== 1 || statement.getDeclarationKind() === 'var') return undefined;
    if (statement.getDeclarationKindKeywords().some((k) => k.getText() === 'using')) return undefined;
    return { statement, target: parent.getName(), guard: parent.getName(), initializer: expression, usable: guardReturning };
  }
  return undefined;
}

function releasesIn(scope: Node, after: number, target: string): Node[] {
  const own = functionOf(scope.getFirstDescendant() ?? scope);
  return scope
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => {
      const callee = call.getExpression();
      return call.getStart() > after && Node.isPropertyAccessExpression(callee) && RELEASING.has(callee.getName()) && callee.getExpression().getText() === target && functionOf(call) === own;
    });
}

/** A statement that does nothing a lock could matter for: `return;`, `return x;`, `return 1;`, `break;`. */
function trivial(statement: Node): boolean {
  if (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) return true;
  if (!Node.isReturnStatement(statement)) return false;
  const value = statement.getExpression();
  return value === undefined || Node.isIdentifier(value) || Node.isLiteralExpression(value) || Node.isTrueLiteral(value) || Node.isFalseLiteral(value);
}

/** Whether only trivial statements run after `statement` until `block` (the acquisition's block) ends. */
function nothingAfter(statement: Node, block: Node): boolean {
  let current: Node = statement;
  while (current !== block) {
    const parent = current.getParent();
    if (!parent) return false;
    if (Node.isBlock(parent) || Node.isSourceFile(parent)) {
      const statements = parent.getStatements();
      if (!statements.slice(statements.indexOf(current as never) + 1).every(trivial)) return false;
    }
    // Code after a loop's body runs again on the next iteration: only the acquisition's own block may hold a loop.
    if (parent !== block && Node.isIterationStatement(parent)) return false;
    current = parent;
  }
  return true;
}

function tryFinallyFix(acquisition: Acquisition, releaseName: string): Fix | undefined {
  const block = acquisition.statement.getParent();
  if (!block || !(Node.isBlock(block) || Node.isSourceFile(block) || Node.isCaseClause(block))) return undefined;
  const statements = block.getStatements();
  const index = statements.indexOf(acquisition.statement as never);
  const rest = statements.slice(index + 1);
  const releaseAt = rest.findIndex((s) => {
    const call = Node.isExpressionStatement(s) ? s.getExpression() : undefined;
    return call !== undefined && Node.isCallExpression(call) && statementOfCall(call) === s && releasesIn(s, -1, acquisition.target).length === 1 && releasesIn(s, -1, acquisition.target)[0] === call;
  });
  if (releaseAt <= 0) return undefined;
  const protectedStatements = rest.slice(0, releaseAt);
  // Another release on the way (an early `unlock(); return;`) would release twice through the finally.
  if (protectedStatements.some((s) => releasesIn(s, -1, acquisition.target).length > 0)) return undefined;
  const release = rest[releaseAt]!;
  const file = acquisition.statement.getSourceFile();
  const text = file.getFullText();
  const indent = indentOf(acquisition.statement);
  const body = reindentText(statementsText(protectedStatements), indent, indent + '  ');
  const releaseText = release.getText();
  const lineEnd = text.indexOf('\n', release.getEnd());
  const path = file.getFilePath();
  const edits: TextEdit[] = [
    {
      file: path,
      start: lineStartOf(protectedStatements[0]!),
      end: lineEnd < 0 ? text.length : lineEnd,
      newText: `${indent}try {\n${indent}  ${body.trimStart()}\n${indent}} finally {\n${indent}  ${releaseText}\n${indent}}`,
    },
  ];
  return { title: `Release \`${releaseName}\` in a finally block, so every path releases it`, edits, safety: 'safe', preferred: true };
}

function usingFix(acquisition: Acquisition, releaseName: string, scope: Node): Fix | undefined {
  if (!acquisition.usable) return undefined;
  const block = acquisition.statement.getParent();
  if (!block || !Node.isBlock(block)) return undefined;
  const path = acquisition.statement.getSourceFile().getFilePath();
  const releases = releasesIn(scope, acquisition.statement.getEnd(), acquisition.target);
  const statements = releases.map((r) => statementOfCall(r));
  if (statements.some((s) => s === undefined || !(Node.isBlock(s.getParent()!)) || !block.containsRange(s.getPos(), s.getEnd()))) return undefined;
  if (acquisition.guard) {
    const uses = scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((i) => i.getText() === acquisition.guard && i.getStart() > acquisition.statement.getEnd());
    if (uses.some((u) => !releases.some((r) => r.containsRange(u.getStart(), u.getEnd())) && !Node.isIfStatement(u.getParent()!) && !Node.isPrefixUnaryExpression(u.getParent()!) && !Node.isBinaryExpression(u.getParent()!) && !Node.isVoidExpression(u.getParent()!))) return undefined;
  }
  const taken = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  const name = acquisition.guard ?? ['_', '_guard', '_held'].find((n) => !taken.has(n));
  if (!name) return undefined;
  const edits: TextEdit[] = [
    { file: path, start: acquisition.statement.getStart(), end: acquisition.statement.getEnd(), newText: `using ${name} = ${acquisition.initializer.getText()};` },
    ...statements.map((s) => removeStatement(s!)),
  ];
  // With no release at all, the function returned holding the lock on purpose or not: releasing it changes callers.
  const widens = statements.length === 0 || !statements.every((s) => nothingAfter(s!, block));
  return {
    title: `Hold \`${releaseName}\` with \`using\`, released at the end of the block${statements.length === 0 ? ' (unsafe: it was never released here, so callers may expect it held)' : widens ? ' (unsafe: code after the release then runs holding it)' : ''}`,
    edits,
    safety: widens ? 'unsafe' : 'safe',
    preferred: false,
  };
}

export function lockLeakFixes(held: Held): Fix[] {
  const call = held.stack.at(-1)!;
  const acquisition = acquisitionOf(call);
  if (!acquisition) return [];
  const scope = functionOf(call);
  if (!scope) return [];
  const fixes: Fix[] = [];
  // A tryLock guard may be undefined, which `finally { g.unlock(); }` would throw on; `using` accepts it.
  const tryFinally = held.method === 'tryLock' ? undefined : tryFinallyFix(acquisition, held.lock.name);
  if (tryFinally) fixes.push(tryFinally);
  const using = usingFix(acquisition, held.lock.name, scope);
  if (using) fixes.push({ ...using, preferred: fixes.length === 0 && using.safety === 'safe' });
  return fixes;
}
