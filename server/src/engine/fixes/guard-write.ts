/**
 * The `unguarded-write` fix: run the write's statement under its guard, in the guard's own API (fixes/lock-api.ts):
 * a runtime Mutex's `withLock` (`withLockAsync`, awaited, in a coroutine), a Semaphore's `withPermit`, async-mutex's
 * `runExclusive`, a Web Locks `request` of the same name, a configured class's run-under method or its acquire and
 * release around a `try`. Offered only where the write holds no other lock, since taking the guard then adds no
 * lock-order edge, and only in a form the function can wait in (an async-only lock needs a coroutine). Adjacent
 * writes that miss the same guard (a reset of two counters) go into one section, so they stay one update.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { AcquisitionFact } from '../model/facts.js';
import { webLockRequest } from '../model/lock-models.js';
import type { LockRef, ProgramModel } from '../rule.js';
import type { DeadboltConfig, Fix } from '../types.js';
import { functionOf, indentOf, reindentRange, trailingCommentEnd } from './edit-text.js';
import { lockApiOfCall, lockApiOfExpression, receiverOf, runUnderText, type LockApiOf } from './lock-api.js';
import { isConsistent } from './consistent-order.js';

/** Whether `lock` (as code: `this.mutex`, `other.mutex`, `statsLock`) names something visible at `at`. */
function resolvable(lock: string, at: Node): boolean {
  if (/^(['"]).*\1$/.test(lock)) return true;
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$#][\w$]*)*$/.test(lock)) return false;
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

/** How the program takes the guard elsewhere: an acquisition of a lock of that name, one in the write's file first. */
function acquisitionOf(lock: string, write: Node, model: ProgramModel): AcquisitionFact | undefined {
  const named = model.facts.acquisitions.filter((a) => a.lock.name === lock || a.lock.identityName === lock);
  return named.find((a) => a.stack.at(-1)!.getSourceFile() === write.getSourceFile()) ?? named[0];
}

/** An expression written `lock` in the write's class (or file), to read the guard's type from when nothing takes it. */
function expressionNamed(lock: string, write: Node): Node | undefined {
  const scope = write.getFirstAncestorByKind(SyntaxKind.ClassDeclaration) ?? write.getSourceFile();
  const isName = (n: Node): boolean => {
    const parent = n.getParent();
    return parent !== undefined && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === n;
  };
  return scope.getDescendants().find((n) => (Node.isPropertyAccessExpression(n) || (Node.isIdentifier(n) && !isName(n))) && n.getText() === lock);
}

/** The statement of a Web Locks request that runs `body` under the same name (and options) as `request`. */
function webLocksText(request: Node, body: string, indent: string, at: Node): string | undefined {
  if (!Node.isCallExpression(request) || webLockRequest(request) === undefined) return undefined;
  const args = request.getArguments().slice(0, -1);
  // The name (a constant, a literal) must mean the same where the write is.
  if (!args.every((a) => Node.isStringLiteral(a) || Node.isNoSubstitutionTemplateLiteral(a) || Node.isObjectLiteralExpression(a) || resolvable(a.getText(), at))) return undefined;
  return `await ${request.getExpression().getText()}(${args.map((a) => a.getText()).join(', ')}, async () => {\n${body}\n${indent}});`;
}

/**
 * The fix of one write: `lock` is the guard as code, `label` its name for the title; `together` holds the
 * statements of the other writes that miss the same guard, so a run of them is wrapped as one.
 */
export function guardWriteFix(
  write: Node,
  lock: string,
  held: readonly LockRef[],
  model: ProgramModel,
  config: DeadboltConfig,
  label?: string,
  together: ReadonlySet<Node> = new Set(),
): Fix | undefined {
  const statement = writeStatement(write);
  if (!statement) return undefined;
  // Taking the guard while holding another lock adds a lock-order edge: only in the order the program already takes
  // them in (the guard after each lock held), and then unsafe, since a lock is now taken where none was.
  const others = held.filter((l) => l.name !== lock);
  if (others.length > 0 && !others.every((l) => takenAfter(l, lock, model, config))) return undefined;
  const run = runAround(statement, together);
  const kinds = [SyntaxKind.AwaitExpression, SyntaxKind.YieldExpression];
  if (run.some((s) => s.getDescendants().some((n) => kinds.includes(n.getKind()) && functionOf(n) === functionOf(statement)))) return undefined;
  const owner = functionOf(statement) as (Node & { isAsync?(): boolean }) | undefined;
  const coroutine = owner?.isAsync?.() === true;
  const indent = indentOf(run[0]!);
  const file = statement.getSourceFile();
  // The last statement moves with its own end-of-line comment (`// eslint-disable-line`, a TODO), which stays on its line.
  const end = trailingCommentEnd(run.at(-1)!);
  const body = `${indent}  ${reindentRange(file, run[0]!.getStart(), end, indent, `${indent}  `)}`;

  const taken = acquisitionOf(lock, write, model);
  let text: string | undefined;
  let lockText = lock;
  if (taken?.api === 'web-locks') {
    text = coroutine ? webLocksText(taken.stack.at(-1)!, body, indent, statement) : undefined;
  } else {
    // The guard as code: its name when that is code here, else how the acquisition elsewhere writes it (a lock named
    // `{ name: 'stats' }` is written `statsLock`).
    const written = taken === undefined ? undefined : receiverOf(taken.stack.at(-1)!)?.getText();
    const code = resolvable(lock, statement) ? lock : written !== undefined && resolvable(written, statement) ? written : undefined;
    if (code === undefined) return undefined;
    const api: LockApiOf | undefined = taken !== undefined
      ? lockApiOfCall(taken.stack.at(-1)!, taken.api, taken.lock.kind, config)
      : ((named) => (named === undefined ? undefined : lockApiOfExpression(named, config)))(expressionNamed(code, write));
    text = api === undefined ? undefined : runUnderText(api, code, body, indent, coroutine);
    lockText = code;
  }
  if (text === undefined) return undefined;
  const holding = others.map((l) => `\`${l.label}\``).join(' and ');
  return {
    title: `Take \`${label ?? lockText}\` around ${run.length > 1 ? `these ${run.length} writes, as one update` : 'this write'}${others.length > 0 ? ` (unsafe: taken while holding ${holding}, the order used elsewhere)` : ''}`,
    edits: [{ file: file.getFilePath(), start: run[0]!.getStart(), end, newText: text }],
    safety: others.length > 0 ? 'unsafe' : 'safe',
    preferred: others.length === 0,
  };
}

/** Whether the program takes the lock named `guard` while holding `held`, and that is its consistent order. */
function takenAfter(held: LockRef, guard: string, model: ProgramModel, config: DeadboltConfig): boolean {
  const edges = [...model.orderGraph().edges.values()];
  // The graph names an instance's field by its class (`Table.rows`), the held set by the receiver: match either way.
  const forward = edges.filter((e) => (e.from.id === held.id || e.from.name === held.name) && (e.to.name === guard || e.to.identityName === guard));
  return forward.length > 0 && forward.every((e) => isConsistent(e.from, e.to, edges, config));
}
