/**
 * State that more than one async task of a thread can reach, and where each piece of it is written: module-level
 * bindings, fields of `this` (and static fields), and the properties of module-level objects. A function's locals and
 * parameters are never shared here (an object passed in is the caller's business). Read by `async-atomicity`.
 */
import { Node, ts } from 'ts-morph';
import { isMutation, MUTATING_METHODS, mutatedByCall } from '../model/writes.js';
import { runsInline } from './blocking-calls.js';

/** One shared location: what the code names it (`this.queue`, `cache`) and a key equal for every access to it. */
export interface SharedLocation {
  key: string;
  name: string;
  declaration: Node;
}

/** A write to a shared location, and the function whose code performs it (undefined at a module's top level). */
export interface StateWrite {
  node: Node;
  location: SharedLocation;
  owner: Node | undefined;
}

/** Keys by compiler node, so every wrapper of one declaration gives the same key. */
const ids = new WeakMap<ts.Node, number>();
let nextId = 0;

function idOf(node: Node): number {
  let id = ids.get(node.compilerNode);
  if (id === undefined) {
    id = nextId++;
    ids.set(node.compilerNode, id);
  }
  return id;
}

/** Strips parentheses, `!` and type assertions, which change neither what is read nor what is written. */
export function stripOuter(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current) || Node.isAsExpression(current) || Node.isSatisfiesExpression(current) || Node.isTypeAssertion(current)) {
    current = current.getExpression();
  }
  return current;
}

/** The class whose instance (or, in a static member, the class itself) `this` denotes at `node`; arrows see through. */
function classOfThis(node: Node): Node | undefined {
  for (let current = node.getParent(); current !== undefined; current = current.getParent()) {
    if (Node.isArrowFunction(current)) continue;
    if (Node.isMethodDeclaration(current) || Node.isConstructorDeclaration(current) || Node.isGetAccessorDeclaration(current) || Node.isSetAccessorDeclaration(current) || Node.isPropertyDeclaration(current) || Node.isClassStaticBlockDeclaration(current)) {
      const owner = current.getParent();
      return owner !== undefined && (Node.isClassDeclaration(owner) || Node.isClassExpression(owner)) ? owner : undefined;
    }
    if (Node.isFunctionLikeDeclaration(current) || Node.isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** The module-level variable (or class) an identifier denotes, through imports. */
function moduleBinding(identifier: Node): Node | undefined {
  let symbol = identifier.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const declaration = symbol?.getDeclarations()[0];
  if (declaration === undefined) return undefined;
  if (Node.isVariableDeclaration(declaration) && Node.isSourceFile(declaration.getVariableStatement()?.getParent())) return declaration;
  if (Node.isClassDeclaration(declaration) && Node.isSourceFile(declaration.getParent())) return declaration;
  return undefined;
}

/**
 * A function's variable that `identifier`, in a function nested in it, captures: every closure made by one call of
 * the outer function shares it (`const events = []` in `batcher()`, pushed by `report` and flushed by `flushAll`).
 * Seen from the declaring function's own code it is that function's local.
 */
function capturedVariable(identifier: Node): (Node & { getName(): string }) | undefined {
  const declaration = identifier.getSymbol()?.getDeclarations()[0];
  if (declaration === undefined || !Node.isVariableDeclaration(declaration) || !Node.isIdentifier(declaration.getNameNode())) return undefined;
  const declaring = ownerOf(declaration);
  const using = ownerOf(identifier);
  if (declaring === undefined || using === undefined || using === declaring) return undefined;
  return using.getStart() >= declaring.getStart() && using.getEnd() <= declaring.getEnd() ? declaration : undefined;
}

/**
 * The shared location an expression reads or writes: `x` (a module-level variable), `this.x`, `Cls.x`, `mod.x`
 * (a property of a module-level object); an element access names its collection (`this.cells[i]` is `this.cells`).
 */
export function locationOf(expression: Node): SharedLocation | undefined {
  let node = stripOuter(expression);
  while (Node.isElementAccessExpression(node)) node = stripOuter(node.getExpression());
  if (Node.isPropertyAccessExpression(node)) {
    const base = stripOuter(node.getExpression());
    const property = node.getName();
    let owner: Node | undefined;
    let baseName: string;
    if (Node.isThisExpression(base)) {
      owner = classOfThis(base);
      baseName = 'this';
    } else if (Node.isIdentifier(base)) {
      owner = moduleBinding(base);
      baseName = base.getText();
    } else {
      return undefined;
    }
    if (owner === undefined) return undefined;
    const declaration = node.getNameNode().getSymbol()?.getDeclarations()[0];
    // Methods are not state; a property the checker cannot find is keyed by its owner and name alone.
    if (declaration !== undefined && (Node.isMethodDeclaration(declaration) || Node.isMethodSignature(declaration) || Node.isGetAccessorDeclaration(declaration))) return undefined;
    const key = declaration !== undefined && !Node.isThisExpression(base) ? `p${idOf(owner)}.${idOf(declaration)}` : `p${idOf(declaration ?? owner)}.${property}`;
    return { key, name: `${baseName}.${property}`, declaration: declaration ?? owner };
  }
  if (Node.isIdentifier(node)) {
    const declaration = moduleBinding(node);
    if (declaration !== undefined && Node.isVariableDeclaration(declaration)) return { key: `m${idOf(declaration)}`, name: declaration.getName(), declaration };
    const captured = capturedVariable(node);
    return captured === undefined ? undefined : { key: `c${idOf(captured)}`, name: captured.getName(), declaration: captured };
  }
  return undefined;
}

/**
 * The function whose execution performs `node`: the nearest function, or its caller's when the function runs in place
 * (`items.forEach((x) => ...)`) and is not itself a coroutine. Undefined at a module's top level.
 */
export function ownerOf(node: Node): Node | undefined {
  let current = node.getParent();
  while (current !== undefined) {
    if (Node.isSourceFile(current)) return undefined;
    if (Node.isFunctionLikeDeclaration(current) || Node.isClassStaticBlockDeclaration(current)) {
      const inline = (Node.isArrowFunction(current) || Node.isFunctionExpression(current)) && !current.isAsync() && runsInline(current);
      if (!inline) return current;
    }
    current = current.getParent();
  }
  return undefined;
}

/** Syntactic filter on raw compiler nodes: assignments, `++`/`--`, `delete`, and calls of mutating methods. */
export function isWriteCandidate(node: ts.Node): boolean {
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  if (ts.isDeleteExpression(node)) return true;
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATING_METHODS.has(node.expression.name.text);
}

/** The expression a write changes: an assignment's target, an update's operand, a mutating call's receiver. */
export function writtenExpression(node: Node): Node | undefined {
  if (Node.isBinaryExpression(node)) return node.getLeft();
  if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) return node.getOperand();
  if (Node.isDeleteExpression(node)) return node.getExpression();
  return mutatedByCall(node);
}

/** The expression whose state a write changes: `this.queue.length = 0` empties `this.queue`. */
function changedExpression(node: Node): Node | undefined {
  if (!isMutation(node) && mutatedByCall(node) === undefined) return undefined;
  const written = writtenExpression(node);
  return written !== undefined && Node.isPropertyAccessExpression(written) && written.getName() === 'length' ? written.getExpression() : written;
}

/** The last name of what a write changes (`queue` for `this.queue.push(x)`), read without the type checker. */
export function writtenName(node: Node): string | undefined {
  let written = changedExpression(node);
  while (written !== undefined && (Node.isElementAccessExpression(written) || Node.isParenthesizedExpression(written) || Node.isNonNullExpression(written) || Node.isAsExpression(written))) written = written.getExpression();
  if (written !== undefined && Node.isPropertyAccessExpression(written)) return written.getName();
  return written !== undefined && Node.isIdentifier(written) ? written.getText() : undefined;
}

/** A call whose result is awaited where it is made: the caller does nothing else until the callee settles. */
export function isAwaited(call: Node): boolean {
  let node = call;
  let parent = node.getParent();
  while (parent !== undefined && Node.isParenthesizedExpression(parent)) {
    node = parent;
    parent = parent.getParent();
  }
  return parent !== undefined && Node.isAwaitExpression(parent);
}

/**
 * Whether a mutating call has the arguments of the collection method it is named for: `Map#set(key, value)` takes
 * two, `Set#add(value)` one. `SettingsService.set({ theme })` merges settings, a store's method and not a `Map`'s.
 */
function collectionArity(call: Node & { getArguments(): Node[]; getExpression(): Node }): boolean {
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : '';
  const count = call.getArguments().length;
  return name === 'set' ? count === 2 : name === 'add' ? count === 1 : true;
}

/**
 * The writes among `nodes` to a shared location, by location key. Destructuring assignments are left out: they write
 * locals far more often than state.
 */
export function sharedWrites(nodes: readonly Node[]): Map<string, StateWrite[]> {
  const byKey = new Map<string, StateWrite[]>();
  for (const node of nodes) {
    // `await db.notes.add(note)` is an asynchronous API (a database, a settings store), not an in-memory collection:
    // no `Map`, `Set` or array mutator returns a promise.
    if (Node.isCallExpression(node) && (isAwaited(node) || !collectionArity(node))) continue;
    const written = changedExpression(node);
    if (written === undefined || Node.isObjectLiteralExpression(written) || Node.isArrayLiteralExpression(written)) continue;
    const location = locationOf(written);
    if (location === undefined) continue;
    const writes = byKey.get(location.key) ?? [];
    writes.push({ node, location, owner: ownerOf(node) });
    byKey.set(location.key, writes);
  }
  return byKey;
}
