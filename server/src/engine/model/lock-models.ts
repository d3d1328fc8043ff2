/**
 * Lock APIs described as data: how a lock is identified (an object, or a name string) and which calls acquire,
 * release, try, or run a callback under it. The walker reads the runtime's and async-mutex's method tables through
 * `lockCallOf` (as it reads configured classes'); a Web Locks request has one shape, read by `webLockRequest`.
 * Recognition stays by symbol (the runtime, async-mutex) or by the one global that owns the API (Web Locks).
 */
import { Node, SyntaxKind, type CallExpression, type Symbol as MorphSymbol, type Type } from 'ts-morph';
import type { AcquireMode } from './facts.js';
import { symbolOf, declarationOf } from './symbol-cache.js';

/** The lock APIs the engine knows; `custom` is a class described in `lockModels` (see custom-locks.ts). */
export type LockApi = 'runtime' | 'web-locks' | 'async-mutex' | 'custom';

/** APIs whose locks are awaited, never held by a blocked thread: holding one across `await` is their idiom. */
export function isAwaitableApi(api: LockApi | undefined): boolean {
  return api === 'web-locks' || api === 'async-mutex';
}

/**
 * The method tables of a lock model: what each method does to its receiver's lock. The built-in models below and
 * the entries of `lockModels` in deadbolt.config.json (types.ts' LockModelConfig) both have them.
 */
export interface LockMethods {
  acquire?: Readonly<Record<string, AcquireMode>>;
  tryAcquire?: readonly string[];
  release?: readonly string[];
  runUnder?: Readonly<Record<string, AcquireMode>>;
  waitForUnlock?: readonly string[];
}

/** What one call of a lock model's method does. */
export type LockCall =
  | { part: 'acquire' | 'runUnder'; wait: AcquireMode }
  | { part: 'tryAcquire' | 'release' | 'waitForUnlock' };

/** What calling `method` does under `model`'s tables; undefined for a method they do not list. */
export function lockCallOf(model: LockMethods, method: string): LockCall | undefined {
  if (model.acquire && Object.hasOwn(model.acquire, method)) return { part: 'acquire', wait: model.acquire[method]! };
  if (model.runUnder && Object.hasOwn(model.runUnder, method)) return { part: 'runUnder', wait: model.runUnder[method]! };
  if (model.tryAcquire?.includes(method)) return { part: 'tryAcquire' };
  if (model.release?.includes(method)) return { part: 'release' };
  if (model.waitForUnlock?.includes(method)) return { part: 'waitForUnlock' };
  return undefined;
}

/** Every method a model's tables list. */
export function lockMethodNames(model: LockMethods): string[] {
  return [
    ...Object.keys(model.acquire ?? {}),
    ...(model.tryAcquire ?? []),
    ...(model.release ?? []),
    ...Object.keys(model.runUnder ?? {}),
    ...(model.waitForUnlock ?? []),
  ];
}

/** One built-in lock API as data (the README's lock API table describes the same). */
export interface LockModel extends LockMethods {
  api: LockApi;
  /** `object`: a lock is a value (its identity is the declaration it was made at); `name`: a string names it. */
  identity: 'object' | 'name';
  /** Whether the holder may take it again without waiting (none of the three built-in APIs' mutexes is). */
  reentrant: boolean;
  /** Methods that take the lock and hold it until a release, with how they wait. */
  acquire: Readonly<Record<string, AcquireMode>>;
  /** Methods that take the lock only if it is free. */
  tryAcquire: readonly string[];
  /** Methods that release it. */
  release: readonly string[];
  /** Methods that run their last argument while holding the lock and release it when that settles. */
  runUnder: Readonly<Record<string, AcquireMode>>;
  /** Methods that wait until the lock is free without taking it: a wait for itself when the caller holds it. */
  waitForUnlock: readonly string[];
  /** Whether the acquisition's result is a function (or `[value, release]`) that releases the lock when called. */
  acquireReturnsRelease: boolean;
  /** Whether a request can ask for shared mode (readers do not conflict with readers). */
  shared: boolean;
}

/** The runtime's methods; the walker reads them through `lockCallOf`. */
export const RUNTIME_MODEL: LockModel = {
  api: 'runtime',
  identity: 'object',
  reentrant: false,
  acquire: { lock: 'blocking', acquire: 'blocking', lockAsync: 'async', acquireAsync: 'async' },
  tryAcquire: ['tryLock', 'tryAcquire'],
  release: ['unlock', 'release'],
  runUnder: { withLock: 'blocking', withPermit: 'blocking', withLockAsync: 'async' },
  waitForUnlock: [],
  acquireReturnsRelease: false,
  shared: false,
};

/** `navigator.locks.request(name, [options], callback)`: the lock is held until the callback's promise settles. */
export const WEB_LOCKS_MODEL: LockModel = {
  api: 'web-locks',
  identity: 'name',
  reentrant: false,
  acquire: {},
  tryAcquire: [],
  release: [],
  runUnder: { request: 'async' },
  waitForUnlock: [],
  acquireReturnsRelease: false,
  shared: true,
};

/** async-mutex's `Mutex` and `Semaphore` (and what `withTimeout` / `tryAcquire` wrap them in). */
export const ASYNC_MUTEX_MODEL: LockModel = {
  api: 'async-mutex',
  identity: 'object',
  reentrant: false,
  acquire: { acquire: 'async' },
  tryAcquire: [],
  release: ['release'],
  runUnder: { runExclusive: 'async' },
  waitForUnlock: ['waitForUnlock'],
  acquireReturnsRelease: true,
  shared: false,
};

export const ASYNC_MUTEX_MODULE = 'async-mutex';

/** async-mutex's exported classes and interfaces, as the lock kinds the rest of the engine knows. */
const ASYNC_MUTEX_CLASSES: Readonly<Record<string, 'Mutex' | 'Semaphore'>> = {
  Mutex: 'Mutex',
  MutexInterface: 'Mutex',
  Semaphore: 'Semaphore',
  SemaphoreInterface: 'Semaphore',
};

function isAsyncMutexFile(filePath: string): boolean {
  return /[\\/]node_modules[\\/]async-mutex[\\/]/.test(filePath);
}

/**
 * The async-mutex class a symbol stands for: an import from `async-mutex` (`import { Mutex }`, `const { Mutex } =
 * require('async-mutex')`, through a local module that re-exports it), or a declaration inside the package. Read
 * from the import declarations, so it holds on a fresh clone whose `node_modules` is missing.
 */
export function asyncMutexClassOfSymbol(symbol: MorphSymbol | undefined): 'Mutex' | 'Semaphore' | undefined {
  let current = symbol;
  for (let hop = 0; current && hop < 4; hop++) {
    for (const declaration of current.getDeclarations()) {
      const module = importedFrom(declaration);
      if (module === ASYNC_MUTEX_MODULE) return ASYNC_MUTEX_CLASSES[importedName(declaration)];
      if (isAsyncMutexFile(declaration.getSourceFile().getFilePath())) return ASYNC_MUTEX_CLASSES[current.getName()];
    }
    // `import { Mutex } from './locks'` where locks.ts has `export { Mutex } from 'async-mutex'`.
    const next: MorphSymbol | undefined = current.isAlias() ? current.getImmediatelyAliasedSymbol() : undefined;
    current = next === current ? undefined : next;
  }
  return undefined;
}

/** The module an import or re-export declaration names: `import { X } from 'm'`, `export { X } from 'm'`, `const { X } = require('m')`. */
function importedFrom(declaration: Node): string | undefined {
  if (Node.isImportSpecifier(declaration)) return declaration.getImportDeclaration().getModuleSpecifierValue();
  if (Node.isExportSpecifier(declaration)) return declaration.getExportDeclaration().getModuleSpecifierValue();
  if (Node.isBindingElement(declaration)) {
    const holder = declaration.getParent()?.getParent();
    const initializer = holder && Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
    return initializer ? requiredModule(initializer) : undefined;
  }
  return undefined;
}

function importedName(declaration: Node): string {
  if (Node.isImportSpecifier(declaration) || Node.isExportSpecifier(declaration)) return declaration.getName();
  if (Node.isBindingElement(declaration)) return declaration.getPropertyNameNode()?.getText() ?? declaration.getName();
  return '';
}

/** `require('m')` (through parentheses): the module it loads. */
export function requiredModule(expression: Node): string | undefined {
  let node = expression;
  while (Node.isParenthesizedExpression(node)) node = node.getExpression();
  if (!Node.isCallExpression(node) || node.getExpression().getText() !== 'require') return undefined;
  const [argument] = node.getArguments();
  return argument && Node.isStringLiteral(argument) ? argument.getLiteralValue() : undefined;
}

/** `am` in `import * as am from 'async-mutex'` or `const am = require('async-mutex')`: a namespace of the package. */
export function isAsyncMutexNamespace(identifier: Node): boolean {
  const declaration = declarationOf(identifier);
  if (!declaration) return false;
  if (Node.isNamespaceImport(declaration)) {
    const importDeclaration = declaration.getFirstAncestor((a) => Node.isImportDeclaration(a));
    return importDeclaration !== undefined && Node.isImportDeclaration(importDeclaration) && importDeclaration.getModuleSpecifierValue() === ASYNC_MUTEX_MODULE;
  }
  const initializer = Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
  return initializer !== undefined && requiredModule(initializer) === ASYNC_MUTEX_MODULE;
}

/** The async-mutex class of `am.Mutex` with `am` a namespace of the package. */
export function asyncMutexClassOfNamespaceMember(left: Node, name: string): 'Mutex' | 'Semaphore' | undefined {
  return Node.isIdentifier(left) && isAsyncMutexNamespace(left) ? ASYNC_MUTEX_CLASSES[name] : undefined;
}

/** The async-mutex class of a checked type: `Mutex`, `MutexInterface` (what `withTimeout` returns), `Semaphore`. */
export function asyncMutexClassOfType(type: Type): 'Mutex' | 'Semaphore' | undefined {
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  if (!symbol) return undefined;
  const kind = ASYNC_MUTEX_CLASSES[symbol.getName()];
  return kind && symbol.getDeclarations().some((d) => isAsyncMutexFile(d.getSourceFile().getFilePath())) ? kind : undefined;
}

/** Whether a lock call's receiver is an async-mutex object, by its checked type. */
export function isAsyncMutexReceiver(receiver: Node): boolean {
  try {
    return asyncMutexClassOfType(receiver.getType()) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Whether a lock's declaration makes it an async-mutex object: `new Mutex()` imported from the package, a type
 * annotation naming one of its classes, or a `withTimeout(...)` of one. Read from syntax and import symbols, so it
 * holds on a fresh clone without `node_modules`, where the package's types are missing.
 */
export function isAsyncMutexDeclaration(declaration: Node | undefined): boolean {
  if (!declaration) return false;
  const withInitializer = Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration);
  let initializer = withInitializer ? declaration.getInitializer() : Node.isNewExpression(declaration) ? declaration : assignedValue(declaration);
  while (initializer && (Node.isParenthesizedExpression(initializer) || Node.isAsExpression(initializer))) initializer = initializer.getExpression();
  if (initializer && Node.isNewExpression(initializer)) {
    const created = initializer.getExpression();
    if (asyncMutexClassOfSymbol(symbolOf(created))) return true;
    if (Node.isPropertyAccessExpression(created) && asyncMutexClassOfNamespaceMember(created.getExpression(), created.getName())) return true;
  }
  if (initializer && asyncMutexWrapper(initializer)) return true;
  const typeNode = withInitializer ? declaration.getTypeNode() : undefined;
  if (typeNode && Node.isTypeReference(typeNode)) {
    const typeName = typeNode.getTypeName();
    if (asyncMutexClassOfSymbol(symbolOf(typeName))) return true;
    if (Node.isQualifiedName(typeName) && asyncMutexClassOfNamespaceMember(typeName.getLeft(), typeName.getRight().getText())) return true;
  }
  return false;
}

/**
 * What a JavaScript field declared by assignment (`this.lock = new Mutex()` in a constructor) is given: the checker
 * names the assignment, or its left side, as the field's declaration.
 */
export function assignedValue(declaration: Node): Node | undefined {
  const assignment = Node.isPropertyAccessExpression(declaration) ? declaration.getParent() : declaration;
  if (!assignment || !Node.isBinaryExpression(assignment) || assignment.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  return assignment.getLeft() === declaration || assignment === declaration ? assignment.getRight() : undefined;
}

/** `withTimeout(m, ms)` / `tryAcquire(m)`: a wrapper of an async-mutex object; the lock is the wrapped one. */
export function asyncMutexWrapper(node: Node): { inner: Node; kind: 'timeout' | 'try' } | undefined {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  if (!Node.isCallExpression(current)) return undefined;
  const callee = current.getExpression();
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
  if (name !== 'withTimeout' && name !== 'tryAcquire') return undefined;
  const inner = current.getArguments()[0];
  if (!inner) return undefined;
  const declaration = declarationOf(callee);
  const fromPackage =
    declaration !== undefined &&
    ((Node.isImportSpecifier(declaration) && declaration.getImportDeclaration().getModuleSpecifierValue() === ASYNC_MUTEX_MODULE) ||
      isAsyncMutexFile(declaration.getSourceFile().getFilePath()));
  return fromPackage ? { inner, kind: name === 'tryAcquire' ? 'try' : 'timeout' } : undefined;
}

/** A Web Locks request as the walker needs it: the name expression, options and the callback run under the lock. */
export interface WebLockRequest {
  name: Node;
  callback: Node | undefined;
  /** `{ mode: 'shared' }`. */
  shared: boolean;
  /** `ifAvailable: true` (the callback gets null when taken) or `steal: true` (never waits): no wait either way. */
  noWait: 'ifAvailable' | 'steal' | undefined;
}

/**
 * `navigator.locks.request(...)`, `self.navigator.locks.request(...)`, or `locks.request(...)` with `locks` imported
 * from `worker_threads`. Syntactic first (the global is not always typed: a Node project without the DOM lib), then
 * an imported `locks` must come from worker_threads and any other receiver must be typed `LockManager`.
 */
export function webLockRequest(call: CallExpression): WebLockRequest | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'request') return undefined;
  const receiver = callee.getExpression();
  if (!isLockManager(receiver)) return undefined;
  const args = call.getArguments();
  if (args.length < 2) return undefined;
  const options = args.length >= 3 ? args[1] : undefined;
  const read = (key: string): string | undefined => {
    if (!options || !Node.isObjectLiteralExpression(options)) return undefined;
    const property = options.getProperty(key);
    return property && Node.isPropertyAssignment(property) ? property.getInitializer()?.getText() : undefined;
  };
  const mode = read('mode');
  return {
    name: args[0]!,
    callback: args[args.length - 1],
    shared: mode === "'shared'" || mode === '"shared"',
    noWait: read('ifAvailable') === 'true' ? 'ifAvailable' : read('steal') === 'true' ? 'steal' : undefined,
  };
}

/**
 * Whether an expression is a LockManager: `navigator.locks` however it is spelled (`navigator.locks!`,
 * `globalThis.navigator.locks`, `(navigator as any).locks`), `locks` destructured from `navigator` or imported from
 * worker_threads, a variable, field or parameter holding one or typed `LockManager` (read from the annotation, since
 * a project without the DOM lib has no such type), or anything the checker types so.
 */
export function isLockManager(expression: Node, depth = 0): boolean {
  const receiver = unwrapExpression(expression);
  if (Node.isPropertyAccessExpression(receiver) && receiver.getName() === 'locks' && isNavigator(receiver.getExpression())) return true;
  if (depth < 3 && (Node.isIdentifier(receiver) || Node.isPropertyAccessExpression(receiver))) {
    const nameNode = Node.isIdentifier(receiver) ? receiver : receiver.getNameNode();
    const declaration = declarationOf(nameNode);
    if (declaration && Node.isImportSpecifier(declaration)) {
      return declaration.getName() === 'locks' && /^(node:)?worker_threads$/.test(declaration.getImportDeclaration().getModuleSpecifierValue());
    }
    if (declaration && Node.isBindingElement(declaration) && (declaration.getPropertyNameNode()?.getText() ?? declaration.getName()) === 'locks') {
      // `const { locks } = navigator`
      const holder = declaration.getParent()?.getParent();
      const source = holder && Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
      if (source && isNavigator(source)) return true;
    }
    if (declaration && (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration))) {
      const typeNode = declaration.getTypeNode();
      if (typeNode && /^(globalThis\.)?LockManager$/.test(typeNode.getText())) return true;
      const initializer = declaration.getInitializer();
      if (initializer && isLockManager(initializer, depth + 1)) return true;
    }
    const assigned = declaration ? assignedValue(declaration) : undefined;
    if (assigned && isLockManager(assigned, depth + 1)) return true;
  }
  try {
    return receiver.getType().getNonNullableType().getSymbol()?.getName() === 'LockManager';
  } catch {
    return false;
  }
}

/** `navigator`, `self.navigator`, `globalThis.navigator`, `window.navigator`, through `!`, `as` and parentheses. */
function isNavigator(expression: Node): boolean {
  const node = unwrapExpression(expression);
  if (Node.isIdentifier(node)) return node.getText() === 'navigator';
  return Node.isPropertyAccessExpression(node) && node.getName() === 'navigator';
}

function unwrapExpression(expression: Node): Node {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isNonNullExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) node = node.getExpression();
  return node;
}

/** A lock name as far as constants tell: the text with `${…}` for each part only known at run time. */
export interface LockName {
  text: string;
  /** The run-time parts' source, when there are any: `doc:${id}` with `id` is one lock per id. */
  dynamic?: string;
}

/**
 * Resolves a Web Locks name: string literals, `const` variables, template literals with constant parts, enum
 * members and `as const` properties (by their literal types), and a helper's parameters through `bound` (what the
 * walk's call site passed: `withLock(name, fn)` called with `'session'`). Undefined when nothing about it is constant.
 */
export function lockNameOf(expression: Node, bound?: (identifier: Node) => LockName | undefined, depth = 0): LockName | undefined {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) node = node.getExpression();
  const passed = bound && Node.isIdentifier(node) ? bound(node) : undefined;
  if (passed) return passed;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { text: node.getLiteralValue() };
  if (Node.isTemplateExpression(node)) {
    let text = node.getHead().getLiteralText();
    const dynamic: string[] = [];
    for (const span of node.getTemplateSpans()) {
      const part = depth < 4 ? lockNameOf(span.getExpression(), bound, depth + 1) : undefined;
      if (part && part.dynamic === undefined) text += part.text;
      else {
        text += '${…}';
        dynamic.push(span.getExpression().getText());
      }
      text += span.getLiteral().getLiteralText();
    }
    return dynamic.length > 0 ? { text, dynamic: dynamic.join(',') } : { text };
  }
  if (depth < 4 && Node.isIdentifier(node)) {
    const declaration = declarationOf(node);
    if (declaration && Node.isVariableDeclaration(declaration)) {
      const list = declaration.getVariableStatement()?.getDeclarationKind();
      const initializer = declaration.getInitializer();
      if (list === 'const' && initializer) return lockNameOf(initializer, bound, depth + 1);
    }
  }
  if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node) || Node.isIdentifier(node)) {
    try {
      const type = node.getType();
      const value = type.getLiteralValue();
      if (typeof value === 'string') return { text: value };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
