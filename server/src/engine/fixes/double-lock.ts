/**
 * The `double-lock` fixes, in the API of the re-taken lock (fixes/lock-api.ts). When the second acquisition is in
 * the function that already holds the lock, it (and its own release) goes: a run-under callback (`withLock`,
 * `runExclusive`, a model's) is inlined, an async-mutex `acquire()` loses its release calls, a `lockAll` list loses
 * the element, a Web Locks request of the same name runs its work in place. Otherwise, when a runtime lock is created
 * by one `new Mutex(...)` that nothing shares as a Mutex (a Condition, a handle rebuilt elsewhere), it can become a
 * RecursiveMutex: unsafe, since code it calls may then run in the middle of an update.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { AcquisitionFact, Held } from '../model/facts.js';
import { importOf, releasesSite, siteOf } from './lock-all.js';
import { functionOf, indentOf, reindentRange, removeStatement, statementOfCall } from './edit-text.js';
import { lockApiOfCall, type LockApiOf } from './lock-api.js';
import { webLocksInlineFix } from './web-locks-order.js';
import { lockName } from '../model/lock-names.js';


function sameContext(held: Held, acquisition: AcquisitionFact): boolean {
  const a = held.stack;
  const b = acquisition.stack;
  return a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);
}

/** Whether an identifier named `name` appears in `scope` outside `except`. */
function referencedElsewhere(scope: Node, name: string, except: readonly Node[]): boolean {
  return scope.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => i.getText() === name && !except.some((e) => e.containsRange(i.getStart(), i.getEnd())));
}

/** The release statements of a manual site (of its receiver, or of its guard) after `after`, in the function. */
function releasesAfter(scope: Node, after: number, site: Parameters<typeof releasesSite>[1]): Node[] {
  return scope
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((call) => call.getStart() > after && releasesSite(call, site))
    .map((call) => statementOfCall(call))
    .filter((s): s is Node => s !== undefined);
}

function isAsyncFunction(fn: Node | undefined): boolean {
  return (fn as { isAsync?(): boolean } | undefined)?.isAsync?.() === true;
}

function dropInner(call: Node, lock: LockApiOf): TextEdit[] | undefined {
  const path = call.getSourceFile().getFilePath();
  const scope = functionOf(call) ?? call.getSourceFile();
  if (Node.isCallExpression(call) && /(^|\.)lockAll(Async)?$/.test(call.getExpression().getText())) return undefined;
  const site = siteOf(call, lock);
  if (!site) return undefined;
  if (site.kind === 'callback') {
    const statement = statementOfCall(call);
    if (!statement) return undefined;
    const callback = site.callback!;
    const body = (callback as never as { getBody(): Node }).getBody();
    // Work the callback awaits moves into the function around the call: it must be able to await, and must have
    // awaited the call (otherwise the work ran after the call returned, not before).
    const awaitsInside = isAsyncFunction(callback) || callback.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => functionOf(a) === callback);
    const awaited = Node.isAwaitExpression(call.getParent());
    if ((site.async || awaitsInside) && !(awaited && isAsyncFunction(functionOf(statement)))) return undefined;
    if (Node.isBlock(body)) {
      const statements = body.getStatements();
      if (statements.length === 0) return [removeStatement(statement)];
      if (body.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => functionOf(r) === callback)) return undefined;
      const file = call.getSourceFile();
      const inner = reindentRange(file, statements[0]!.getStart(), statements.at(-1)!.getEnd(), indentOf(statements[0]!), indentOf(statement));
      return [{ file: path, start: statement.getStart(), end: statement.getEnd(), newText: inner }];
    }
    if (isAsyncFunction(callback) && !awaited) return undefined;
    return [{ file: path, start: statement.getStart(), end: statement.getEnd(), newText: `${isAsyncFunction(callback) ? 'await ' : ''}${body.getText()};` }];
  }
  const statement = site.statement!;
  if (site.kind === 'using') {
    if (site.guard && referencedElsewhere(scope, site.guard, [statement])) return undefined;
    return [removeStatement(statement)];
  }
  if (site.guard) {
    const releases = releasesAfter(scope, call.getEnd(), site);
    if (releases.length === 0 || referencedElsewhere(scope, site.guard, [statement, ...releases])) return undefined;
    return [removeStatement(statement), ...releases.map(removeStatement)];
  }
  // A plain `m.lock()`: its release is the first one after it (releases pair up innermost first).
  const [release] = releasesAfter(scope, call.getEnd(), site);
  if (!release) return undefined;
  return [removeStatement(statement), removeStatement(release)];
}

/** `lockAll([m, other], fn)` while holding `m`: the list without `m`. */
function dropFromLockAll(call: Node, lockText: (n: Node) => boolean): TextEdit[] | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const list = call.getArguments()[0];
  if (!list || !Node.isArrayLiteralExpression(list)) return undefined;
  const elements = list.getElements();
  const index = elements.findIndex(lockText);
  if (index < 0 || elements.length < 2) return undefined;
  const path = call.getSourceFile().getFilePath();
  const start = index === 0 ? elements[0]!.getStart() : elements[index - 1]!.getEnd();
  const end = index === 0 ? elements[1]!.getStart() : elements[index]!.getEnd();
  return [{ file: path, start, end, newText: '' }];
}

/** The `new Mutex(...)` a lock comes from, when its declaration says so plainly. */
function constructionOf(declaration: Node | undefined): Node | undefined {
  if (!declaration) return undefined;
  if (Node.isNewExpression(declaration)) return declaration;
  if (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration)) {
    const initializer = declaration.getInitializer();
    return initializer && Node.isNewExpression(initializer) ? initializer : undefined;
  }
  return undefined;
}

function toRecursive(held: Held): Fix | undefined {
  const construction = constructionOf(held.lock.declaration);
  if (!construction || !Node.isNewExpression(construction) || construction.getExpression().getText() !== 'Mutex') return undefined;
  const declaration = construction.getParent();
  if (!declaration || !(Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration))) return undefined;
  // Every use must allow a RecursiveMutex: no Condition built on it, no handle rebuilt as a Mutex elsewhere.
  const references = declaration.getNameNode().getKind() === SyntaxKind.Identifier ? (declaration.getNameNode() as never as { findReferencesAsNodes(): Node[] }).findReferencesAsNodes() : [];
  for (const reference of references) {
    const parent = reference.getParent();
    const access = parent && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === reference ? parent : reference;
    const user = access.getParent();
    if (user && Node.isPropertyAccessExpression(user) && user.getName() === 'handle') return undefined;
    if (user && Node.isNewExpression(user) && user.getExpression().getText() === 'Condition') return undefined;
  }
  const file: SourceFile = construction.getSourceFile();
  const path = file.getFilePath();
  const edits: TextEdit[] = [{ file: path, start: construction.getExpression().getStart(), end: construction.getExpression().getEnd(), newText: 'RecursiveMutex' }];
  const typeNode = declaration.getTypeNode();
  if (typeNode) {
    if (typeNode.getText() !== 'Mutex') return undefined;
    edits.push({ file: path, start: typeNode.getStart(), end: typeNode.getEnd(), newText: 'RecursiveMutex' });
  }
  const imported = importOf(file, 'RecursiveMutex');
  if (imported === undefined) return undefined;
  if (imported) edits.push(imported);
  return {
    title: `Make \`${lockName(held.lock)}\` a RecursiveMutex (unsafe: code it calls may then run in the middle of an update)`,
    edits,
    safety: 'unsafe',
    preferred: false,
  };
}

export function doubleLockFixes(held: Held, acquisition: AcquisitionFact, config: DeadboltConfig): Fix[] {
  const inner = acquisition.stack.at(-1)!;
  if (acquisition.api === 'web-locks') return [webLocksInlineFix(held.stack.at(-1)!, inner)].filter((f) => f !== undefined);
  const lockAll = acquisition.method === 'lockAll' || acquisition.method === 'lockAllAsync';
  const lock = lockAll ? undefined : lockApiOfCall(inner, acquisition.api, acquisition.lock.kind, config);
  if (!lockAll && lock === undefined) return [];
  const fixes: Fix[] = [];
  if (sameContext(held, acquisition)) {
    const name = acquisition.lock.name;
    const edits = lockAll
      ? dropFromLockAll(inner, (element) => element.getText() === name || element.getText() === (held.stack.at(-1) && siteOf(held.stack.at(-1)!)?.receiver.getText()))
      : dropInner(inner, lock!);
    if (edits) fixes.push({ title: `Drop this second acquisition of \`${lockName(acquisition.lock)}\`: it is already held here`, edits, safety: 'safe', preferred: true });
  }
  // Only the runtime has a re-entrant twin of its Mutex.
  const recursive = (lock?.api ?? 'runtime') === 'runtime' && held.api === undefined ? toRecursive(held) : undefined;
  if (recursive) fixes.push(recursive);
  return fixes;
}
