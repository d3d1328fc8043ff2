/**
 * The `lock-leak` fixes, in the API of the leaked lock (fixes/lock-api.ts). `try { … } finally { release }` from the
 * acquisition to its release in the same block is safe for every API: only the paths that leaked change, and they
 * now release with the call the code already makes. For the runtime's Mutex, a `using` guard (for `lock`,
 * `lockAsync` and a kept `tryLock` guard) drops the hand-written releases and releases at the end of the block
 * instead, where the project's lib has `using`: safe when nothing but a `return` of a plain value follows a release
 * it replaces, unsafe (and titled so) otherwise.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { Held } from '../model/facts.js';
import { functionOf, removeStatement, statementOfCall } from './edit-text.js';
import { lockApiOfCall, type LockApiOf } from './lock-api.js';
import { hasUsing } from './lib-features.js';
import { releaseInFinallyFix, wrapInFinally } from './release-in-finally.js';

/** Runtime methods whose result is a LockGuard, which `using` releases. */
const GUARD_RETURNING = new Set(['lock', 'lockAsync', 'tryLock']);

interface Acquisition {
  statement: Node;
  /** What releases it: the lock expression, or the guard variable. */
  target: string;
  guard?: string;
  /** `m.lock()` (or the awaited `lockAsync`/`tryLock` call) as written. */
  initializer: Node;
  /** Whether a `using` declaration can hold what it returns (a runtime LockGuard). */
  usable: boolean;
}

function acquisitionOf(call: Node, api: LockApiOf): Acquisition | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const guardReturning = api.api === 'runtime' && GUARD_RETURNING.has(method);
  let expression: Node = call;
  while (Node.isAwaitExpression(expression.getParent()!) || Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const parent = expression.getParent();
  if (parent && Node.isExpressionStatement(parent)) {
    if (api.methods.tryAcquire?.includes(method)) return undefined;
    return { statement: parent, target: callee.getExpression().getText(), initializer: expression, usable: guardReturning };
  }
  // Only the runtime's guard (`g.unlock()`) releases through the variable an acquisition is kept in.
  if (api.api === 'runtime' && parent && Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) {
    const statement = parent.getVariableStatement();
    if (!statement || statement.getDeclarations().length !== 1 || statement.getDeclarationKind() === 'var') return undefined;
    if (statement.getDeclarationKindKeywords().some((k) => k.getText() === 'using')) return undefined;
    return { statement, target: parent.getName(), guard: parent.getName(), initializer: expression, usable: guardReturning };
  }
  return undefined;
}

/** Calls in `scope` after `after` that release `target` with one of the API's release methods (in `scope`'s own function). */
function releasesIn(scope: Node, after: number, target: string, releaseMethods: readonly string[]): Node[] {
  const own = functionOf(scope.getFirstDescendant() ?? scope);
  return scope
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => {
      const callee = call.getExpression();
      return call.getStart() > after && Node.isPropertyAccessExpression(callee) && releaseMethods.includes(callee.getName()) && callee.getExpression().getText() === target && functionOf(call) === own;
    });
}

/** A call `target.<release>()` (in a statement of its own) of one of `releaseMethods`. */
function isReleaseCall(node: Node, target: string, releaseMethods: readonly string[]): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  return Node.isPropertyAccessExpression(callee) && releaseMethods.includes(callee.getName()) && callee.getExpression().getText() === target;
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

function tryFinallyFix(acquisition: Acquisition, releaseName: string, releaseMethods: readonly string[]): Fix | undefined {
  const { target } = acquisition;
  const isRelease = (s: Node): boolean => {
    const call = Node.isExpressionStatement(s) ? s.getExpression() : undefined;
    return call !== undefined && statementOfCall(call) === s && isReleaseCall(call, target, releaseMethods);
  };
  // Another release on the way (an early `unlock(); return;`) would release twice through the finally.
  return wrapInFinally(acquisition.statement, isRelease, (n) => isReleaseCall(n, target, releaseMethods), `Release \`${releaseName}\` in a finally block, so every path releases it`);
}

function usingFix(acquisition: Acquisition, releaseName: string, scope: Node, releaseMethods: readonly string[]): Fix | undefined {
  if (!acquisition.usable || !hasUsing(acquisition.statement)) return undefined;
  const block = acquisition.statement.getParent();
  if (!block || !Node.isBlock(block)) return undefined;
  const path = acquisition.statement.getSourceFile().getFilePath();
  const releases = releasesIn(scope, acquisition.statement.getEnd(), acquisition.target, releaseMethods);
  const statements = releases.map((r) => statementOfCall(r));
  if (statements.some((s) => s === undefined || !(Node.isBlock(s.getParent()!)) || !block.containsRange(s.getPos(), s.getEnd()))) return undefined;
  if (acquisition.guard) {
    const uses = scope.getDescendantsOfKind(SyntaxKind.Identifier).filter((i) => i.getText() === acquisition.guard && i.getStart() > acquisition.statement.getEnd());
    if (uses.some((u) => !releases.some((r) => r.containsRange(u.getStart(), u.getEnd())) && !Node.isIfStatement(u.getParent()!) && !Node.isPrefixUnaryExpression(u.getParent()!) && !Node.isBinaryExpression(u.getParent()!) && !Node.isVoidExpression(u.getParent()!))) return undefined;
  }
  const taken = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  const name = acquisition.guard ?? ['_', '_guard', '_held'].find((n) => !taken.has(n));
  if (!name) return undefined;
  const statement = acquisition.statement;
  // Only the declaration's head changes (`const g =` or nothing, to `using g =`): the call and its comments stay.
  const head = Node.isVariableStatement(statement)
    ? { start: statement.getStart(), end: statement.getDeclarations()[0]!.getNameNode().getStart(), text: 'using ' }
    : { start: statement.getStart(), end: statement.getStart(), text: `using ${name} = ` };
  const edits: TextEdit[] = [{ file: path, start: head.start, end: head.end, newText: head.text }, ...statements.map((s) => removeStatement(s!))];
  // With no release at all, the function returned holding the lock on purpose or not: releasing it changes callers.
  const widens = statements.length === 0 || !statements.every((s) => nothingAfter(s!, block));
  return {
    title: `Hold \`${releaseName}\` with \`using\`, released at the end of the block${statements.length === 0 ? ' (unsafe: it was never released here, so callers may expect it held)' : widens ? ' (unsafe: code after the release then runs holding it)' : ''}`,
    edits,
    safety: widens ? 'unsafe' : 'safe',
    preferred: false,
  };
}

/** The fixes for a lock `held` taken and leaked on some path. */
export function lockLeakFixes(held: Held, config: DeadboltConfig): Fix[] {
  const call = held.stack.at(-1)!;
  const api = lockApiOfCall(call, held.api, held.lock.kind, config);
  if (api === undefined) return [];
  if (api.releaseByFunction) return [releaseInFinallyFix(held)].filter((f) => f !== undefined);
  const acquisition = acquisitionOf(call, api);
  if (!acquisition) return [];
  const scope = functionOf(call);
  if (!scope) return [];
  const releaseMethods = api.methods.release ?? [];
  const fixes: Fix[] = [];
  // A tryLock guard may be undefined, which `finally { g.unlock(); }` would throw on; `using` accepts it.
  const tryFinally = held.method === 'tryLock' ? undefined : tryFinallyFix(acquisition, held.lock.name, releaseMethods);
  if (tryFinally) fixes.push(tryFinally);
  const using = usingFix(acquisition, held.lock.name, scope, releaseMethods);
  if (using) fixes.push({ ...using, preferred: fixes.length === 0 && using.safety === 'safe' });
  return fixes;
}
