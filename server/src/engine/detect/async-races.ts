/**
 * Atomicity violations between the coroutines of one thread: shared state read before a suspension and written after
 * it from what was read (`update`), under a check of it (`check`), or emptied after being handed on (`clear`), while
 * another task (another function, or another call of this one) can write it in between without a lock both hold.
 */
import { Node, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import type { ProgramModel } from '../rule.js';
import { findNodesCached, wrap } from './compiler-walk.js';
import { isCoroutine } from './coroutines.js';
import { isGuardedByLockCallback, isInsideHandRolledLock } from './lock-regions.js';
import { guardedBy, mayFollow, suspensionsByOwner, type Suspension } from './await-flow.js';
import { isAwaited, isWriteCandidate, locationOf, ownerOf, sharedWrites, stripOuter, writtenName, type SharedLocation, type StateWrite } from './shared-state.js';
import { calledOnlyOnNewInstances } from './new-instances.js';
import { runsOnlyUnderRunner, serialisingDispatcher } from './serialised-tasks.js';
import { getOrInsert } from '../maps.js';

export interface Race {
  shape: 'update' | 'check' | 'clear';
  /** The state as the code names it. */
  name: string;
  /** The coroutine whose read, suspension and write race. */
  owner: Node;
  read: Node;
  suspension: Node;
  write: Node;
  /** A write another task can make meanwhile; `unlocked` when the coroutine's section holds no lock at all. */
  other: { node: Node; owner: Node | undefined; unlocked: boolean };
  /** Whether the coroutine itself touches the state again between the read and the write. */
  touchedBetween: boolean;
  /** The writes of other functions that empty or unset the state (`= null`, `delete`, `.clear()`), constructors aside. */
  clearers: Node[];
}

interface Access {
  node: Node;
  read: boolean;
}

/** Methods that add entries: what a lost batch loses. */
const ADDING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add']);
/** Methods that read a collection's entries without changing it: handing them on. */
const CONSUMING_METHODS = new Set(['map', 'forEach', 'filter', 'slice', 'join', 'reduce', 'values', 'entries', 'keys', 'concat', 'flatMap', 'toString', 'every', 'some']);

class Finder {
  private readonly accessMemo = new Map<Node, Map<string, Access[]>>();
  private readonly suspensionMemo = new Map<SourceFile, Map<Node, Suspension[]>>();
  private readonly reentrantMemo = new Map<Node, boolean>();
  private readonly runnerMemo = new Map<Node, boolean>();
  private readonly dispatcherMemo = new Map<Node, Node | undefined>();

  constructor(readonly model: ProgramModel) {}

  suspensions(fn: Node): readonly Suspension[] {
    return getOrInsert(this.suspensionMemo, fn.getSourceFile(), () => suspensionsByOwner(fn.getSourceFile())).get(fn) ?? [];
  }

  /** Every access of `location` in `fn`'s own code, in document order; `read` is false where it is only written. */
  accesses(fn: Node, location: SharedLocation): Access[] {
    const byKey = getOrInsert(this.accessMemo, fn, () => new Map<string, Access[]>());
    return getOrInsert(byKey, location.key, () => {
      const last = location.name.slice(location.name.lastIndexOf('.') + 1);
      const found: Access[] = [];
      const file = fn.getSourceFile();
      // Only the nodes spelled like the location are wrapped and resolved.
      const visit = (raw: ts.Node): void => {
        const named = ts.isPropertyAccessExpression(raw) ? raw.name.text === last : ts.isIdentifier(raw) && raw.text === last && !(ts.isPropertyAccessExpression(raw.parent) && raw.parent.name === raw);
        if (named) {
          const node = wrap(file, raw);
          // `this.cells[i]` is reached through `this.cells`; the outer access decides whether it is read.
          if (ownerOf(node) === fn && locationOf(node)?.key === location.key) found.push({ node, read: !isWrittenOnly(node) });
        }
        ts.forEachChild(raw, visit);
      };
      visit(fn.compilerNode);
      return found;
    });
  }

  /** Whether two calls of `fn` can be in progress at once: a callback, an escaping or exported function, one called twice. */
  reentrant(fn: Node): boolean {
    return getOrInsert(this.reentrantMemo, fn, () => {
      if (calledOnlyOnNewInstances(this.model, fn)) return false;
      if (this.underRunner(fn) || this.dispatcher(fn) !== undefined) return false;
      // An iterator's `next` is called again only once its last result settled (`for await`, `yield*`).
      if ((Node.isMethodDeclaration(fn) || Node.isPropertyAssignment(fn.getParent())) && ['next', 'return', 'throw'].includes(iteratorName(fn) ?? '')) return false;
      if (isStreamSinkMethod(fn)) return false;
      const callers = this.model.callers(fn);
      if (callers.length !== 1) return true;
      const call = callers[0]!;
      const inLoop = call.getFirstAncestor((n) => Node.isIterationStatement(n) || Node.isFunctionLikeDeclaration(n));
      return ownerOf(call) !== undefined || (inLoop !== undefined && Node.isIterationStatement(inLoop));
    });
  }

  underRunner(fn: Node): boolean {
    return getOrInsert(this.runnerMemo, fn, () => runsOnlyUnderRunner(this.model, fn));
  }

  dispatcher(fn: Node): Node | undefined {
    if (!this.dispatcherMemo.has(fn)) this.dispatcherMemo.set(fn, serialisingDispatcher(this.model, fn));
    return this.dispatcherMemo.get(fn);
  }

  /**
   * Whether runs of `a` and `b` follow one another without a lock: both run only while a test runner awaits them
   * (tests, hooks and the helpers they await), or both are handlers one dispatcher awaits in turn.
   */
  serialisedWith(a: Node, b: Node): boolean {
    if (this.underRunner(a) && this.underRunner(b)) return true;
    const dispatcher = this.dispatcher(a);
    return dispatcher !== undefined && this.dispatcher(b) === dispatcher;
  }

  heldIds(node: Node): Set<string> {
    return new Set(this.model.heldAt(node).map((lock) => lock.id));
  }
}

/** What the Streams standard calls one at a time, each after the last settled: a sink's and a transformer's methods. */
const STREAM_METHODS = new Map([
  ['WritableStream', ['write', 'close', 'abort']],
  ['TransformStream', ['transform', 'flush']],
]);

/**
 * A method of the object literal handed to `new WritableStream(...)` or `new TransformStream(...)`: the stream calls
 * `write` (or `transform`) again only when the promise of the last call has settled (notesnook's zip stream).
 */
function isStreamSinkMethod(fn: Node): boolean {
  const name = iteratorName(fn);
  const literal = Node.isMethodDeclaration(fn) ? fn.getParent() : fn.getParent()?.getParent();
  const construct = literal?.getParent();
  if (name === undefined || literal === undefined || !Node.isObjectLiteralExpression(literal) || construct === undefined || !Node.isNewExpression(construct) || construct.getArguments()[0] !== literal) return false;
  return STREAM_METHODS.get(construct.getExpression().getText())?.includes(name) ?? false;
}

function iteratorName(fn: Node): string | undefined {
  if (Node.isMethodDeclaration(fn)) return fn.getName();
  const parent = fn.getParent();
  return parent !== undefined && Node.isPropertyAssignment(parent) ? parent.getName() : undefined;
}

function isWrittenOnly(node: Node): boolean {
  let outer: Node = node;
  for (let parent = outer.getParent(); parent !== undefined; parent = outer.getParent()) {
    if (Node.isParenthesizedExpression(parent) || Node.isNonNullExpression(parent) || Node.isAsExpression(parent) || (Node.isElementAccessExpression(parent) && parent.getExpression() === outer)) outer = parent;
    else break;
  }
  const parent = outer.getParent();
  if (parent === undefined) return false;
  if (Node.isBinaryExpression(parent) && parent.getLeft() === outer) return parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
  // `x.push(v)` and `x.length = 0` change `x` without reading what it holds.
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === outer) {
    const call = parent.getParent();
    if (call !== undefined && Node.isCallExpression(call) && call.getExpression() === parent && ['push', 'unshift', 'set', 'add', 'delete', 'clear'].includes(parent.getName())) return true;
    const assignment = parent.getParent();
    return parent.getName() === 'length' && assignment !== undefined && Node.isBinaryExpression(assignment) && assignment.getLeft() === parent;
  }
  return false;
}

/** A value whose every write is the same: literals, `undefined`, empty `[]`/`{}`, an enum member. */
function isConstant(value: Node): boolean {
  const node = stripOuter(value);
  if (Node.isLiteralExpression(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isTrueLiteral(node) || Node.isFalseLiteral(node) || Node.isNullLiteral(node)) return true;
  if (Node.isIdentifier(node)) return node.getText() === 'undefined';
  if (Node.isVoidExpression(node)) return true;
  if (Node.isPrefixUnaryExpression(node)) return isConstant(node.getOperand());
  if (Node.isArrayLiteralExpression(node)) return node.getElements().length === 0;
  if (Node.isObjectLiteralExpression(node)) return node.getProperties().length === 0;
  if (Node.isPropertyAccessExpression(node)) return isEnumMember(node);
  return false;
}

/** `State.Open` of an enum, or of a constant object of literals (`const STATE = { OPEN: 1 }`, frozen or `as const`). */
function isEnumMember(access: Node & { getExpression(): Node; getName(): string }): boolean {
  let symbol = access.getExpression().getSymbol();
  // An imported table (`SERVICE_NAMES.TOOL_PERMISSIONS`) is read where it is declared.
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const declaration = symbol?.getDeclarations()[0];
  if (declaration === undefined) return false;
  if (Node.isEnumDeclaration(declaration)) return true;
  if (!Node.isVariableDeclaration(declaration) || declaration.getVariableStatement()?.getDeclarationKind() !== 'const') return false;
  let initializer: Node | undefined = declaration.getInitializer();
  if (initializer !== undefined && Node.isCallExpression(initializer) && initializer.getExpression().getText() === 'Object.freeze') initializer = initializer.getArguments()[0];
  initializer = initializer === undefined ? undefined : stripOuter(initializer);
  if (initializer === undefined || !Node.isObjectLiteralExpression(initializer)) return false;
  const property = initializer.getProperty(access.getName());
  const value = property !== undefined && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
  return value !== undefined && !Node.isPropertyAccessExpression(stripOuter(value)) && isConstant(value);
}

/** An empty collection or string: what `clear` writes. */
function isEmpty(value: Node): boolean {
  const node = stripOuter(value);
  if (Node.isArrayLiteralExpression(node)) return node.getElements().length === 0;
  if (Node.isObjectLiteralExpression(node)) return node.getProperties().length === 0;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralText() === '';
  if (Node.isNewExpression(node)) return ['Map', 'Set', 'Array'].includes(node.getExpression().getText()) && (node.getArguments().length === 0);
  return false;
}

/** The value a write stores: an assignment's right side, the last argument of `set`/`add`/`push`. */
export function storedValue(write: Node): Node | undefined {
  if (Node.isBinaryExpression(write)) return write.getRight();
  if (Node.isCallExpression(write)) return write.getArguments().at(-1);
  return undefined;
}

function operator(write: Node): SyntaxKind | undefined {
  return Node.isBinaryExpression(write) ? write.getOperatorToken().getKind() : undefined;
}

const COMPOUND_LOGICAL = new Set([SyntaxKind.QuestionQuestionEqualsToken, SyntaxKind.BarBarEqualsToken, SyntaxKind.AmpersandAmpersandEqualsToken]);

/** Whether `inner` lies within `outer`'s text. */
export function within(outer: Node, inner: Node): boolean {
  return inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();
}

/** Whether the write empties its collection: `= []`, `= new Map()`, `.length = 0`, `.clear()`, `.splice(0)`. */
function isClear(write: Node): boolean {
  if (Node.isBinaryExpression(write) && write.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const left = stripOuter(write.getLeft());
    if (Node.isPropertyAccessExpression(left) && left.getName() === 'length') return write.getRight().getText() === '0';
    return isEmpty(write.getRight());
  }
  if (!Node.isCallExpression(write)) return false;
  const callee = write.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return false;
  if (callee.getName() === 'clear') return write.getArguments().length === 0;
  // `splice(0, taken.length)` removes only what was taken and keeps what arrived meanwhile: not a clear.
  const [start, count] = write.getArguments();
  const all = count === undefined || count.getText().replace(/\s+/g, '') === `${callee.getExpression().getText().replace(/\s+/g, '')}.length`;
  return callee.getName() === 'splice' && start?.getText() === '0' && all && write.getArguments().length <= 2;
}

/** Whether a write adds entries: `push`, `set`, `add`, `x[k] = v`, `x = [...x, v]`, `x += v`. */
function isAdd(write: Node): boolean {
  if (Node.isCallExpression(write)) {
    const callee = write.getExpression();
    return Node.isPropertyAccessExpression(callee) && ADDING_METHODS.has(callee.getName()) && !isClear(write) && write.getArguments().length > (callee.getName() === 'splice' ? 2 : 0);
  }
  if (!Node.isBinaryExpression(write)) return false;
  if (write.getOperatorToken().getKind() === SyntaxKind.PlusEqualsToken) return true;
  const left = stripOuter(write.getLeft());
  if (Node.isElementAccessExpression(left)) return true;
  return !isClear(write) && write.getOperatorToken().getKind() === SyntaxKind.EqualsToken && !isConstant(write.getRight());
}

/** An access that hands the collection's entries on: an argument, a local's initializer, a spread, a `for...of`, `.map()`. */
function consumes(access: Node): boolean {
  let node: Node = access;
  let parent = node.getParent();
  while (parent !== undefined && (Node.isParenthesizedExpression(parent) || Node.isNonNullExpression(parent) || Node.isAsExpression(parent))) {
    node = parent;
    parent = parent.getParent();
  }
  if (parent === undefined) return false;
  if (Node.isCallExpression(parent) || Node.isNewExpression(parent)) return parent.getArguments().includes(node);
  if (Node.isVariableDeclaration(parent) || Node.isSpreadElement(parent) || Node.isForOfStatement(parent)) return true;
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === node) {
    const call = parent.getParent();
    return call !== undefined && Node.isCallExpression(call) && CONSUMING_METHODS.has(parent.getName());
  }
  return false;
}

interface Shape {
  shape: Race['shape'];
  read: Node;
  suspension: Suspension;
}

/** The local constants of `fn` whose initializer reads the location: `const v = this.x` then `this.x = v + 1`. */
function readVia(fn: Node, identifier: Node, reads: readonly Access[]): Access | undefined {
  // In `{ current }` the name's own symbol is the property's; the value is the variable's.
  const parent = identifier.getParent();
  const symbol = parent !== undefined && Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : identifier.getSymbol();
  const declaration = symbol?.getDeclarations()[0];
  if (declaration === undefined || !Node.isVariableDeclaration(declaration) || ownerOf(declaration) !== fn) return undefined;
  const statement = declaration.getVariableStatement();
  if (statement === undefined) return undefined;
  if (statement.getDeclarationKind() !== 'const') {
    // A `let` counts only while nothing assigns it again.
    const reassigned = fn.getDescendantsOfKind(SyntaxKind.Identifier).some((use) => use !== declaration.getNameNode() && use.getText() === declaration.getName() && Node.isBinaryExpression(use.getParent()) && (use.getParent() as Node & { getLeft(): Node }).getLeft() === use);
    if (reassigned) return undefined;
  }
  const initializer = declaration.getInitializer();
  return initializer === undefined ? undefined : reads.find((r) => within(initializer, r.node));
}

function firstBetween(suspensions: readonly Suspension[], read: Node, write: Node, from?: number): Suspension | undefined {
  // `await table.add(rows)` suspends after the write it awaits, not between the read and it.
  return suspensions.find((s) => s.at.getStart() >= (from ?? 0) && read.getStart() < s.at.getEnd() && mayFollow(read, s.at) && mayFollow(s.at, write) && s.at.getStart() < write.getEnd() && !(s.at !== write && within(s.at, write)));
}

/** A read of the location after the suspension and before the write takes effect: the code looked again. */
function rereads(accesses: readonly Access[], suspension: Suspension, write: Node, read: Node): boolean {
  return accesses.some((a) => a.read && a.node !== read && a.node.getStart() >= suspension.at.getEnd() && a.node.getStart() < write.getEnd() && !isTargetOf(write, a.node) && mayFollow(suspension.at, a.node));
}

function isTargetOf(write: Node, access: Node): boolean {
  if (!Node.isBinaryExpression(write)) return false;
  const target = write.getLeft();
  return within(target, access) && COMPOUND_LOGICAL.has(write.getOperatorToken().getKind()) === false;
}

function matchUpdate(fn: Node, write: Node, accesses: readonly Access[], suspensions: readonly Suspension[]): Shape | undefined {
  const kind = operator(write);
  const reads = accesses.filter((a) => a.read && !isAwaitedReceiver(a.node));
  if (kind !== undefined && kind !== SyntaxKind.EqualsToken && !COMPOUND_LOGICAL.has(kind) && Node.isBinaryExpression(write)) {
    // `x += await f()`: the old value is read before the right side runs.
    const suspension = suspensions.find((s) => within(write.getRight(), s.at));
    return suspension === undefined ? undefined : { shape: 'update', read: write.getLeft(), suspension };
  }
  const value = storedValue(write);
  if (value === undefined || (kind === undefined && !isMethodCall(write, ['set']))) return undefined;
  if (kind !== undefined && kind !== SyntaxKind.EqualsToken) return undefined;
  // `x = x + await f()` or `x = await g(x)`: read, then suspended, in one expression.
  for (const read of reads) {
    if (!within(value, read.node)) continue;
    const suspension = suspensions.find((s) => within(value, s.at) && read.node.getStart() < s.at.getEnd());
    if (suspension !== undefined) return { shape: 'update', read: read.node, suspension };
  }
  // `const v = x; await f(); x = v + 1`.
  const names = Node.isIdentifier(value) ? [value] : value.getDescendantsOfKind(SyntaxKind.Identifier);
  for (const name of names) {
    const read = readVia(fn, name, reads);
    if (read === undefined) continue;
    // Putting back exactly what was read (`const saved = x; ...; x = saved`) restores, it does not update.
    if (stripOuter(value) === name) continue;
    const suspension = firstBetween(suspensions, read.node, write);
    if (suspension === undefined || rereads(accesses, suspension, write, read.node)) continue;
    return { shape: 'update', read: read.node, suspension };
  }
  return undefined;
}

/** `db.notes` in `await db.notes.note(id)`: what arrives is read by an asynchronous API, not from memory here. */
function isAwaitedReceiver(access: Node): boolean {
  const member = access.getParent();
  const call = member?.getParent();
  return member !== undefined && Node.isPropertyAccessExpression(member) && member.getExpression() === access && call !== undefined && Node.isCallExpression(call) && call.getExpression() === member && isAwaited(call);
}

function isMethodCall(node: Node, names: readonly string[]): boolean {
  if (!Node.isCallExpression(node)) return false;
  const callee = node.getExpression();
  return Node.isPropertyAccessExpression(callee) && names.includes(callee.getName());
}

/** The `if`s and `?:`s whose condition guards `write`: enclosing ones, and earlier ones that return early. */
function checksAbove(fn: Node, write: Node): Node[] {
  const checks: Node[] = [];
  for (let current: Node | undefined = write; current !== undefined && current !== fn; current = current.getParent()) {
    const parent = current.getParent();
    if (parent === undefined) break;
    if ((Node.isIfStatement(parent) && parent.getExpression() !== current) || (Node.isConditionalExpression(parent) && parent.getCondition() !== current)) checks.push(parent);
    if (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const statements = parent.getStatements();
      for (const statement of statements.slice(0, statements.indexOf(current as never))) if (Node.isIfStatement(statement)) checks.push(statement);
    }
  }
  return checks.filter((check) => guardedBy(check, write));
}

function matchCheck(fn: Node, write: Node, accesses: readonly Access[], suspensions: readonly Suspension[]): Shape | undefined {
  const kind = operator(write);
  const reads = accesses.filter((a) => a.read && !isAwaitedReceiver(a.node));
  if (kind !== undefined && COMPOUND_LOGICAL.has(kind) && Node.isBinaryExpression(write)) {
    // `x ??= await make()`: checked, suspended, then stored over whatever another task stored meanwhile.
    const suspension = suspensions.find((s) => within(write.getRight(), s.at));
    return suspension === undefined ? undefined : { shape: 'check', read: write.getLeft(), suspension };
  }
  if (kind !== undefined && kind !== SyntaxKind.EqualsToken) return undefined;
  // Appending after a check of the length loses nothing; storing under a key or in a variable replaces what is there.
  if (kind === undefined && !isMethodCall(write, ['set', 'add'])) return undefined;
  const value = storedValue(write);
  if (value === undefined || isConstant(value)) return undefined;
  for (const check of checksAbove(fn, write)) {
    const condition = Node.isIfStatement(check) ? check.getExpression() : (check as Node & { getCondition(): Node }).getCondition();
    let read = reads.find((r) => within(condition, r.node))?.node;
    if (read === undefined) {
      // `const hit = cache.get(k); if (hit) return hit;`
      const names = Node.isIdentifier(condition) ? [condition] : condition.getDescendantsOfKind(SyntaxKind.Identifier);
      for (const name of names) read ??= readVia(fn, name, reads)?.node;
    }
    if (read === undefined) continue;
    const suspension = firstBetween(suspensions, condition, write, condition.getEnd());
    if (suspension === undefined || rereads(accesses, suspension, write, read)) continue;
    if (onlyModuleLoads(suspensions, condition, write)) continue;
    return { shape: 'check', read, suspension };
  }
  return undefined;
}

/**
 * Whether every suspension between a check and its write awaits what settles the same for every call: a dynamic
 * `import()` (or `Promise.all` of them), which resolves to the same module each time, or a promise kept in shared
 * state (`await moduleImportPromise`). Calls that overlap then store what each other would.
 */
function onlyModuleLoads(suspensions: readonly Suspension[], condition: Node, write: Node): boolean {
  const between = suspensions.filter((s) => s.at.getStart() >= condition.getEnd() && s.at.getStart() < write.getEnd() && mayFollow(s.at, write));
  return between.every((s) => Node.isAwaitExpression(s.node) && settlesAlike(s.node.getExpression()));
}

function settlesAlike(expression: Node): boolean {
  const awaited = stripOuter(expression);
  if (Node.isCallExpression(awaited)) {
    if (awaited.getExpression().getKind() === SyntaxKind.ImportKeyword) return true;
    const [all] = awaited.getArguments();
    const text = awaited.getExpression().getText();
    return (text === 'Promise.all' || text === 'Promise.allSettled') && all !== undefined && Node.isArrayLiteralExpression(all) && all.getElements().every(settlesAlike);
  }
  return (Node.isIdentifier(awaited) || Node.isPropertyAccessExpression(awaited)) && locationOf(awaited) !== undefined;
}

function matchClear(write: Node, accesses: readonly Access[], suspensions: readonly Suspension[]): Shape | undefined {
  if (!isClear(write)) return undefined;
  for (const access of accesses) {
    if (!access.read || access.node.getStart() >= write.getStart() || !consumes(access.node)) continue;
    const suspension = firstBetween(suspensions, access.node, write);
    if (suspension !== undefined) return { shape: 'clear', read: access.node, suspension };
  }
  return undefined;
}

function inConstructor(owner: Node | undefined): boolean {
  return owner !== undefined && Node.isConstructorDeclaration(owner);
}

/** The syntactic signs of a lock around `node` the model may not know: a lock helper's callback, an open `acquire()`. */
function lockedSyntactically(node: Node): boolean {
  return isGuardedByLockCallback(node) || isInsideHandRolledLock(node);
}

/** A lock taken by a call whose name says so and returns its release: `const release = await this._lock()`. */
const LOCK_CALL = /^[_#]?(lock|acquire|acquireLock|mutex)$/i;

/**
 * Whether every known call of `fn` happens while its caller holds a lock: inside a lock helper's callback, or after
 * `const release = await x.lock()` and before `release()` (pyodide's package loader holds `this._lock()` around the
 * loads it starts).
 */
function callersHoldALock(model: ProgramModel, fn: Node): boolean {
  const calls = model.callers(fn);
  return calls.length > 0 && calls.every((call) => lockedSyntactically(call) || model.heldAt(call).length > 0 || afterLockCall(call));
}

function afterLockCall(call: Node): boolean {
  const caller = ownerOf(call);
  if (caller === undefined) return false;
  let release: string | undefined;
  for (const declaration of caller.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (declaration.getStart() >= call.getStart() || ownerOf(declaration) !== caller) continue;
    const initializer = declaration.getInitializer();
    const awaited = initializer !== undefined && Node.isAwaitExpression(initializer) ? stripOuter(initializer.getExpression()) : undefined;
    if (awaited === undefined || !Node.isCallExpression(awaited)) continue;
    const callee = awaited.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
    if (LOCK_CALL.test(name)) release = declaration.getName();
  }
  if (release === undefined) return false;
  const released = caller.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => c.getExpression().getText() === release && c.getStart() < call.getStart() && ownerOf(c) === caller);
  return !released;
}

/** Per file version: the names coroutines write after a point where they can suspend (found without the checker). */
const writtenAfterSuspending = new WeakMap<ts.SourceFile, string[]>();

function namesWrittenAfterSuspending(file: SourceFile): string[] {
  return getOrInsert(writtenAfterSuspending, file.compilerNode, () => {
    const suspensions = suspensionsByOwner(file);
    const names = new Set<string>();
    for (const node of findNodesCached(file, isWriteCandidate)) {
      const fn = ownerOf(node);
      const own = fn === undefined ? undefined : suspensions.get(fn);
      if (own === undefined || !own.some((s) => s.at.getStart() < node.getEnd()) || !isCoroutine(fn!)) continue;
      const name = writtenName(node);
      if (name !== undefined) names.add(name);
    }
    return [...names];
  });
}

/** Finds every race of the shapes above in `files`. */
export function findRaces(files: readonly SourceFile[], model: ProgramModel): Race[] {
  const finder = new Finder(model);
  // The type checker is asked only about writes a coroutine makes after it can suspend, and about the writes of the
  // same names elsewhere (the other writers): most writes of a program are neither.
  const names = new Set(files.flatMap((file) => namesWrittenAfterSuspending(file)));
  if (names.size === 0) return [];
  const all = files.flatMap((file) => findNodesCached(file, isWriteCandidate));
  const writes = sharedWrites(all.filter((node) => names.has(writtenName(node) ?? '')));
  const races: Race[] = [];
  for (const group of writes.values()) {
    for (const write of group) {
      const fn = write.owner;
      if (fn === undefined || !isCoroutine(fn)) continue;
      const suspensions = finder.suspensions(fn);
      if (suspensions.length === 0) continue;
      const accesses = finder.accesses(fn, write.location);
      const shape = matchClear(write.node, accesses, suspensions) ?? matchUpdate(fn, write.node, accesses, suspensions) ?? matchCheck(fn, write.node, accesses, suspensions);
      if (shape === undefined || revalidated(fn, shape.suspension, write.node)) continue;
      const other = otherWriter(finder, write, shape, group);
      if (other === undefined) continue;
      const touchedBetween = accesses.some((a) => a.node.getStart() >= shape.read.getEnd() && a.node.getEnd() <= write.node.getStart());
      const clearers = group.filter((w) => w.owner !== undefined && w.owner !== fn && !inConstructor(w.owner) && !isAdd(w.node)).map((w) => w.node);
      races.push({ shape: shape.shape, name: write.location.name, owner: fn, read: shape.read, suspension: shape.suspension.node, write: write.node, other, touchedBetween, clearers });
    }
  }
  return races;
}

/**
 * A write another task can make while the coroutine is suspended, preferring another function's: none when every
 * other writer holds a lock the section holds, or when nothing else writes the state (only this call does).
 */
function otherWriter(finder: Finder, write: StateWrite, shape: Shape, group: readonly StateWrite[]): Race['other'] | undefined {
  const fn = write.owner!;
  const spanLocks = [...finder.heldIds(write.node)].filter((id) => finder.heldIds(shape.read).has(id));
  const spanSyntactic = lockedSyntactically(write.node) || callersHoldALock(finder.model, fn);
  const guarded = spanLocks.length > 0 || spanSyntactic;
  const covered = (other: StateWrite): boolean => {
    if (!guarded) return false;
    const held = finder.heldIds(other.node);
    const syntactic = lockedSyntactically(other.node);
    if (spanLocks.length === 0) return held.size > 0 || syntactic;
    if (spanLocks.some((id) => held.has(id))) return true;
    return held.size === 0 && syntactic;
  };
  const candidates = group.filter((other) => other.owner !== undefined && other.owner !== fn && !inConstructor(other.owner) && (shape.shape !== 'clear' || isAdd(other.node)) && !otherKeys(write.node, other.node) && !finder.serialisedWith(fn, other.owner));
  // A writer that stores something can make a check stale or an update lost; prefer it, in the message, to one that
  // only removes (a `delete` cannot make "not cached yet" untrue) and to another call of this coroutine.
  const adder = candidates.find((other) => !covered(other) && isAdd(other.node));
  if (adder !== undefined) return { node: adder.node, owner: adder.owner, unlocked: !guarded };
  // Another call of this same coroutine is the other task: it holds whatever this one holds.
  const racesItself = !guarded && finder.reentrant(fn) && !(write.location.key.startsWith('c') && (runsOncePerClosure(finder.model, fn, write.location.declaration) || handedToResultWrapper(fn, write.location.declaration)));
  if (!racesItself) {
    const found = candidates.find((other) => !covered(other));
    return found === undefined ? undefined : { node: found.node, owner: found.owner, unlocked: !guarded };
  }
  if (shape.shape === 'clear') {
    const adds = group.filter((other) => other.owner === fn && isAdd(other.node));
    return adds.length === 0 ? undefined : { node: adds[0]!.node, owner: fn, unlocked: true };
  }
  return { node: write.node, owner: fn, unlocked: true };
}

/** The constant key a keyed write names: `x.set('a', v)`, `x.delete(KEYS.A)`, `x['a'] = v`; undefined when computed. */
function constantKey(write: Node): string | undefined {
  let key: Node | undefined;
  if (Node.isCallExpression(write) && isMethodCall(write, ['set', 'delete', 'add'])) key = write.getArguments()[0];
  else if (Node.isBinaryExpression(write)) {
    const target = stripOuter(write.getLeft());
    if (Node.isElementAccessExpression(target)) key = target.getArgumentExpression();
  }
  if (key === undefined) return undefined;
  const node = stripOuter(key);
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isNumericLiteral(node)) return JSON.stringify(node.getLiteralValue());
  return Node.isPropertyAccessExpression(node) && isEnumMember(node) ? node.getText() : undefined;
}

/**
 * Whether two writes of one keyed collection name different constant keys (`container.set(NAMES.PERMISSIONS, ...)`
 * against `container.set('update', ...)`, continue's subagent executor): neither can overwrite the other's entry.
 */
function otherKeys(write: Node, other: Node): boolean {
  const mine = constantKey(write);
  const theirs = constantKey(other);
  return mine !== undefined && theirs !== undefined && mine !== theirs;
}

/**
 * Whether `fn` is a closure that runs once for each run of the function that makes it, the one that declares the
 * captured `variable`: a `const f = async () => ...` called once, outside any loop, by the code that made it
 * (continue's `addComputedLanceDbRows` in `LanceDbIndex.update`). Each run of the maker has its own variable and its
 * own closure, so no other run of the closure shares the variable.
 */
function runsOncePerClosure(model: ProgramModel, fn: Node, variable: Node): boolean {
  const maker = ownerOf(variable);
  const holder = fn.getParent();
  if (maker === undefined || holder === undefined || !Node.isVariableDeclaration(holder) || ownerOf(holder) !== maker) return false;
  const calls = model.callers(fn);
  if (calls.length !== 1 || ownerOf(calls[0]!) !== maker) return false;
  // Called from the maker's own code: not from a loop, nor from a callback such as `chunks.map((c) => add(c))`.
  return calls[0]!.getFirstAncestor((n) => Node.isIterationStatement(n) || Node.isFunctionLikeDeclaration(n)) === maker;
}

/**
 * Whether `fn` is a function literal the maker of the captured `variable` hands, once per run and outside any loop,
 * to a function whose declared result is the literal's result: `<R>(request, fn: () => R) => Promise<R>`, or
 * `<F extends () => ReturnType<F>>(name, fn: F) => ReturnType<F>` (metamask's `#trace` around
 * `#defaultPublishHook`'s publish, renovate's `instrument('config', ...)` in the global worker's `start()`). Such a
 * wrapper (a trace span, a retry, a transaction) produces its one result from calling the literal; it may call it
 * again only after a call settled, never two at once, so no other run of the literal shares this run's variable.
 */
function handedToResultWrapper(fn: Node, variable: Node): boolean {
  const maker = ownerOf(variable);
  const call = fn.getParent();
  if (maker === undefined || call === undefined || !Node.isCallExpression(call) || ownerOf(call) !== maker) return false;
  if (call.getFirstAncestor((n) => Node.isIterationStatement(n) || Node.isFunctionLikeDeclaration(n)) !== maker) return false;
  const index = call.getArguments().indexOf(fn);
  const declaration = fn.getProject().getTypeChecker().compilerObject.getResolvedSignature(call.compilerNode)?.getDeclaration();
  if (declaration === undefined || ts.isJSDocSignature(declaration)) return false;
  const parameter = declaration.parameters[index];
  const result = declaration.type;
  if (parameter === undefined || parameter.type === undefined || result === undefined || parameter.dotDotDotToken !== undefined) return false;
  return (declaration.typeParameters ?? []).some((typeParameter) => {
    const name = typeParameter.name.text;
    const type = parameter.type!;
    // `fn: (context) => R`: the literal's result is the type parameter, and so is the wrapper's (`R`, `Promise<R>`).
    if (ts.isFunctionTypeNode(type) && mentions(type.type, name)) return mentions(result, name);
    // `fn: F` with `F extends () => ...` and the wrapper's result `ReturnType<F>`; a wrapper that returns `F` itself
    // (React's `useCallback`) hands the callback on, to be called any number of times.
    const isIt = ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === name && typeParameter.constraint !== undefined && ts.isFunctionTypeNode(typeParameter.constraint);
    return isIt && mentions(result, name, 'ReturnType');
  });
}

/**
 * Whether a type node names the type parameter `name` outside any function type in it (`() => R` is a function that
 * returns one, not one), and, given `within`, only as an argument of that generic (`ReturnType<F>`).
 */
function mentions(type: ts.TypeNode, name: string, within?: string): boolean {
  let found = false;
  const visit = (node: ts.Node, inside: boolean): void => {
    if (found || ts.isFunctionTypeNode(node)) return;
    if (ts.isIdentifier(node) && node.text === name && (within === undefined || inside)) found = true;
    const entering = ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === within;
    ts.forEachChild(node, (child) => visit(child, inside || entering));
  };
  visit(type, false);
  return found;
}

/**
 * Whether the write runs only under a check, made after the suspension, that no newer run has started: a local taken
 * from shared state before the suspension compared with that state again (`const id = ++this.latest; await f();
 * if (id === this.latest) this.state = ...`, continue's `NextEditWindowManager`). The newest run's write wins, so the
 * code looked again.
 */
function revalidated(fn: Node, suspension: Suspension, write: Node): boolean {
  for (let current = write.getParent(); current !== undefined && current !== fn; current = current.getParent()) {
    if (!Node.isIfStatement(current) || current.getStart() < suspension.at.getEnd()) continue;
    for (const comparison of [current.getExpression(), ...current.getExpression().getDescendantsOfKind(SyntaxKind.BinaryExpression)]) {
      if (!Node.isBinaryExpression(comparison) || !EQUALITIES.has(comparison.getOperatorToken().getKind())) continue;
      const [left, right] = [stripOuter(comparison.getLeft()), stripOuter(comparison.getRight())];
      if (isTokenOf(fn, left, right, suspension) || isTokenOf(fn, right, left, suspension)) return true;
    }
  }
  return false;
}

const EQUALITIES = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);

/** Whether `local` is a constant of `fn`, set before the suspension from the shared state `shared` reads. */
function isTokenOf(fn: Node, local: Node, shared: Node, suspension: Suspension): boolean {
  const key = locationOf(shared)?.key;
  if (key === undefined || !Node.isIdentifier(local)) return false;
  const declaration = local.getSymbol()?.getDeclarations()[0];
  if (declaration === undefined || !Node.isVariableDeclaration(declaration) || ownerOf(declaration) !== fn || declaration.getStart() >= suspension.at.getStart()) return false;
  if (declaration.getVariableStatement()?.getDeclarationKind() !== 'const') return false;
  const initializer = declaration.getInitializer();
  if (initializer === undefined) return false;
  return [initializer, ...initializer.getDescendants()].some((n) => (Node.isPropertyAccessExpression(n) || Node.isIdentifier(n)) && locationOf(n)?.key === key);
}
