/**
 * Recognises calls and loops that block the calling thread, for the `blocking-in-async` rule: `Atomics.wait`,
 * the runtime's synchronous lock methods, Node's `*Sync` functions of fs/child_process/zlib/crypto (by resolved
 * declaration, not by name), busy-wait loops, configured functions, and sync helpers that do any of these.
 */
import { Node, SyntaxKind, type CallExpression, type Identifier } from 'ts-morph';
import type { DeadboltConfig } from '../types.js';
import { isRuntimeFile, RUNTIME_MODULE } from '../model/runtime.js';
import { CustomLockModels } from '../model/custom-locks.js';


/**
 * Blocking methods of each runtime class and their async twins, which take the same arguments (their options add
 * only `signal`) and resolve to what the blocking method returns. Non-blocking methods (`tryLock`, `tryGet`, ...)
 * are deliberately absent.
 */
export const RUNTIME_BLOCKING: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Mutex: { lock: 'lockAsync', withLock: 'withLockAsync' },
  RecursiveMutex: { lock: 'lockAsync', withLock: 'withLockAsync' },
  Semaphore: { acquire: 'acquireAsync', withPermit: 'withPermitAsync' },
  Condition: { wait: 'waitAsync', waitFor: 'waitForAsync' },
  Event: { wait: 'waitAsync' },
  Barrier: { wait: 'waitAsync' },
  SharedQueue: { get: 'getAsync', put: 'putAsync', join: 'joinAsync' },
};

/** Blocking functions of the runtime and their async twins. */
const RUNTIME_FUNCTIONS: Record<string, string> = { lockAll: 'lockAllAsync' };

const BLOCKING_METHOD_NAMES = new Set(Object.values(RUNTIME_BLOCKING).flatMap((methods) => Object.keys(methods)));

/** Node modules whose `*Sync` functions block on I/O or CPU work off the event loop's terms. */
const SYNC_MODULES = new Set(['fs', 'child_process', 'zlib', 'crypto']);

export type BlockingCall =
  | { kind: 'atomics-wait'; description: string }
  | { kind: 'runtime'; description: string; receiver: string; className: string; method: string; twin: string }
  | { kind: 'runtime-function'; description: string; name: string; twin: string }
  | { kind: 'node-sync'; description: string; module: string; name: string }
  | { kind: 'configured'; description: string };

/** Classifies one call expression; undefined when it does not block (as far as this file can tell). */
export function blockingCallOf(call: CallExpression, config: DeadboltConfig): BlockingCall | undefined {
  const callee = call.getExpression();
  const text = `${callee.getText()}()`;
  if (callee.getText() === 'Atomics.wait') return { kind: 'atomics-wait', description: '`Atomics.wait()`' };

  // The method name first: resolving the receiver's type is the expensive part, and most calls are not these.
  if (Node.isPropertyAccessExpression(callee) && BLOCKING_METHOD_NAMES.has(callee.getName())) {
    const method = callee.getName();
    const className = runtimeClassOf(callee.getExpression());
    const methods = className === undefined ? undefined : RUNTIME_BLOCKING[className];
    if (methods !== undefined && Object.hasOwn(methods, method)) {
      return { kind: 'runtime', description: `\`${text}\` (${className}.${method})`, receiver: callee.getExpression().getText(), className: className!, method, twin: methods[method]! };
    }
  }
  const custom = Node.isPropertyAccessExpression(callee) ? customBlockingLock(callee.getExpression(), callee.getName(), config) : undefined;
  if (custom !== undefined) return { kind: 'configured', description: `\`${text}\` (${custom}, a blocking acquisition in lockModels)` };
  const runtimeFunction = runtimeFunctionOf(callee);
  if (runtimeFunction !== undefined) {
    return { kind: 'runtime-function', description: `\`${text}\``, name: runtimeFunction, twin: RUNTIME_FUNCTIONS[runtimeFunction]! };
  }

  const nameNode = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : Node.isIdentifier(callee) ? callee : undefined;
  if (nameNode === undefined) return undefined;
  const name = nameNode.getText();
  if (name.endsWith('Sync')) {
    const module = declaringNodeModule(nameNode);
    if (module !== undefined && SYNC_MODULES.has(module)) return { kind: 'node-sync', description: `\`${text}\` (${module})`, module, name };
  }
  for (const entry of config.blockingFunctions ?? []) {
    if (matchesConfigured(entry, callee, name)) return { kind: 'configured', description: `\`${text}\` (listed in blockingFunctions)` };
  }
  return undefined;
}

/** `Class.method` when the call takes a configured lock class's lock by blocking the thread. */
function customBlockingLock(receiver: Node, method: string, config: DeadboltConfig): string | undefined {
  const found = CustomLockModels.of(config).lockCallAt(receiver, method);
  const call = found?.call;
  return call && (call.part === 'acquire' || call.part === 'runUnder') && call.wait === 'blocking' ? `${found!.model.class}.${method}` : undefined;
}

/** `lockAll` when `callee` is the runtime's, imported by name (`lockAll`, `lockAll as all`) or through a namespace. */
function runtimeFunctionOf(callee: Node): string | undefined {
  if (Node.isIdentifier(callee)) {
    const imported = importedFrom(callee, RUNTIME_MODULE);
    return imported !== undefined && Object.hasOwn(RUNTIME_FUNCTIONS, imported) ? imported : undefined;
  }
  if (!Node.isPropertyAccessExpression(callee) || !Object.hasOwn(RUNTIME_FUNCTIONS, callee.getName())) return undefined;
  const owner = callee.getExpression();
  if (!Node.isIdentifier(owner)) return undefined;
  const fromRuntime = (owner.getSymbol()?.getDeclarations() ?? []).some((d) =>
    Node.isNamespaceImport(d) && d.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)?.getModuleSpecifierValue() === RUNTIME_MODULE);
  return fromRuntime ? callee.getName() : undefined;
}

/** The runtime class of a receiver, by its type when the runtime resolves, else by how it was declared. */
export function runtimeClassOf(receiver: Node): string | undefined {
  // `this.queue?.get()` and `queue!.get()` on an optional field: the class is what remains without undefined.
  const type = receiver.getType().getNonNullableType();
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  const name = symbol?.getName();
  if (name !== undefined && Object.hasOwn(RUNTIME_BLOCKING, name)) {
    const fromRuntime = symbol!.getDeclarations().some((d) => isRuntimeFile(d.getSourceFile().getFilePath()));
    if (fromRuntime) return name;
  }
  // Unresolved runtime types (no build yet, or JavaScript) are `any`: fall back to the declaration's syntax.
  const nameNode = Node.isIdentifier(receiver) ? receiver : Node.isPropertyAccessExpression(receiver) ? receiver.getNameNode() : undefined;
  for (const declaration of nameNode?.getSymbol()?.getDeclarations() ?? []) {
    const found = runtimeClassOfDeclaration(declaration);
    if (found !== undefined) return found;
  }
  return undefined;
}

function runtimeClassOfDeclaration(declaration: Node): string | undefined {
  if (!Node.isVariableDeclaration(declaration) && !Node.isPropertyDeclaration(declaration) && !Node.isParameterDeclaration(declaration)) return undefined;
  const typeNode = declaration.getTypeNode();
  if (typeNode !== undefined && Node.isTypeReference(typeNode)) {
    const typeName = typeNode.getTypeName();
    if (Node.isIdentifier(typeName)) return runtimeClassName(typeName);
  }
  let initializer = declaration.getInitializer();
  if (initializer !== undefined && Node.isAwaitExpression(initializer)) initializer = initializer.getExpression();
  if (initializer !== undefined && Node.isNewExpression(initializer)) {
    const constructor = initializer.getExpression();
    if (Node.isIdentifier(constructor)) return runtimeClassName(constructor);
  }
  if (initializer !== undefined && Node.isCallExpression(initializer)) {
    // `Mutex.from(handle)` rebuilds a runtime object in another thread.
    const callee = initializer.getExpression();
    if (Node.isPropertyAccessExpression(callee) && callee.getName() === 'from') {
      const owner = callee.getExpression();
      if (Node.isIdentifier(owner)) return runtimeClassName(owner);
    }
  }
  return undefined;
}

function runtimeClassName(identifier: Identifier): string | undefined {
  const imported = importedFrom(identifier, RUNTIME_MODULE);
  return imported !== undefined && Object.hasOwn(RUNTIME_BLOCKING, imported) ? imported : undefined;
}

/** The exported name `identifier` was imported as from `module` (with or without `node:`), else undefined. */
export function importedFrom(identifier: Identifier, module: string): string | undefined {
  for (const declaration of identifier.getSymbol()?.getDeclarations() ?? []) {
    if (!Node.isImportSpecifier(declaration)) continue;
    const specifier = declaration.getImportDeclaration().getModuleSpecifierValue();
    if (specifier.replace(/^node:/, '') === module.replace(/^node:/, '')) return declaration.getName();
  }
  return undefined;
}

/** The Node built-in module (`fs`, `crypto`, ...) whose function `call` calls by name, with or without @types/node. */
export function nodeModuleOfCallee(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  const nameNode = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : Node.isIdentifier(callee) ? callee : undefined;
  return nameNode === undefined ? undefined : declaringNodeModule(nameNode);
}

/** The Node built-in module (`fs`, `crypto`, ...) that declares what `nameNode` refers to, from @types/node. */
function declaringNodeModule(nameNode: Node): string | undefined {
  let symbol = nameNode.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    const module = declaration.getFirstAncestorByKind(SyntaxKind.ModuleDeclaration);
    if (module === undefined) continue;
    return module.getName().replace(/^["']|["']$/g, '').replace(/^node:/, '').split('/')[0];
  }
  // Without @types/node the import does not resolve (or resolves to a local CommonJS binding); the import's own
  // specifier still names the module. A function the project declares itself has no such import.
  return importSpecifierModule(nameNode);
}

/**
 * The bare module (`fs` for `node:fs/promises`) a name was imported from, read from the import syntax alone:
 * `import`, `import x = require()`, and CommonJS `const fs = require('fs')`, `const { readFileSync } =
 * require('node:fs')` or `require('fs').readFileSync()`, which is how JavaScript without @types/node is written.
 */
function importSpecifierModule(nameNode: Node): string | undefined {
  const parent = nameNode.getParent();
  const owner = parent !== undefined && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === nameNode ? parent.getExpression() : nameNode;
  const required = requiredModule(owner);
  if (required !== undefined) return owner !== nameNode ? required : undefined;
  if (!Node.isIdentifier(owner)) return undefined;
  for (const declaration of owner.getSymbol()?.getDeclarations() ?? []) {
    const named = owner !== nameNode;
    const fromRequire = requireDeclarationModule(declaration, named);
    if (fromRequire !== undefined) return fromRequire;
    const importDeclaration = declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
    // A named import only counts when the name itself was imported, not a property of it.
    if (importDeclaration === undefined || (named && Node.isImportSpecifier(declaration))) continue;
    return bareModule(importDeclaration.getModuleSpecifierValue());
  }
  return undefined;
}

/** `'node:fs'` for the call `require('node:fs')`, as written; undefined for anything else. */
export function requireSpecifier(expression: Node): string | undefined {
  if (!Node.isCallExpression(expression) || expression.getExpression().getText() !== 'require') return undefined;
  const [argument] = expression.getArguments();
  return argument !== undefined && Node.isStringLiteral(argument) ? argument.getLiteralValue() : undefined;
}

/** `fs` for the expression `require('node:fs')` (parentheses aside), else undefined. */
function requiredModule(expression: Node): string | undefined {
  const specifier = requireSpecifier(Node.isParenthesizedExpression(expression) ? expression.getExpression() : expression);
  return specifier === undefined ? undefined : bareModule(specifier);
}

/**
 * The module of a CommonJS binding: `const fs = require('fs')` (whose properties are the module's functions, so
 * only `named` uses count) or `const { readFileSync } = require('fs')` and `import fs = require('fs')`.
 */
function requireDeclarationModule(declaration: Node, named: boolean): string | undefined {
  if (Node.isVariableDeclaration(declaration) && Node.isIdentifier(declaration.getNameNode())) {
    const initializer = declaration.getInitializer();
    return named && initializer !== undefined ? requiredModule(initializer) : undefined;
  }
  if (Node.isBindingElement(declaration) && !named) {
    const variable = declaration.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
    const initializer = variable?.getInitializer();
    // Only the pattern's own properties (`{ readFileSync }`), not a nested pattern inside one.
    return initializer !== undefined && declaration.getParent()?.getParent() === variable ? requiredModule(initializer) : undefined;
  }
  if (Node.isImportEqualsDeclaration(declaration) && named) {
    const reference = declaration.getModuleReference();
    return Node.isExternalModuleReference(reference) && reference.getExpression() !== undefined && Node.isStringLiteral(reference.getExpression()!)
      ? bareModule((reference.getExpression() as import('ts-morph').StringLiteral).getLiteralValue())
      : undefined;
  }
  return undefined;
}

function bareModule(specifier: string): string {
  return specifier.replace(/^node:/, '').split('/')[0]!;
}

/** `name` matches any callee so named; `module#name` only a binding imported from that module. */
function matchesConfigured(entry: string, callee: Node, name: string): boolean {
  const hash = entry.indexOf('#');
  if (hash < 0) return entry === name;
  const module = entry.slice(0, hash);
  const wanted = entry.slice(hash + 1);
  if (wanted !== name) return false;
  if (Node.isIdentifier(callee)) return importedFrom(callee, module) === wanted;
  if (Node.isPropertyAccessExpression(callee)) {
    const owner = callee.getExpression();
    if (!Node.isIdentifier(owner)) return false;
    return (owner.getSymbol()?.getDeclarations() ?? []).some((d) => {
      const importDeclaration = Node.isNamespaceImport(d) ? d.getParentOrThrow().getParentOrThrow().getParent() : Node.isImportClause(d) ? d.getParent() : undefined;
      return importDeclaration !== undefined && Node.isImportDeclaration(importDeclaration) &&
        importDeclaration.getModuleSpecifierValue().replace(/^node:/, '') === module.replace(/^node:/, '');
    });
  }
  return false;
}

/** Calls whose argument runs at once on the caller's stack, so a blocking call inside it blocks the caller. */
const SYNC_CALLBACK_METHODS = new Set(['forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'toSorted']);

/** True when `fn` (a nested function) runs synchronously inside its enclosing function: array callbacks, IIFEs, Promise executors. */
export function runsInline(fn: Node): boolean {
  const parent = fn.getParent();
  if (parent === undefined) return false;
  if (Node.isParenthesizedExpression(parent)) {
    const call = parent.getParent();
    return call !== undefined && Node.isCallExpression(call) && call.getExpression() === parent;
  }
  if (Node.isCallExpression(parent) && parent.getArguments().includes(fn)) {
    const callee = parent.getExpression();
    return Node.isPropertyAccessExpression(callee) && SYNC_CALLBACK_METHODS.has(callee.getName());
  }
  if (Node.isNewExpression(parent) && parent.getArguments()[0] === fn) return parent.getExpression().getText() === 'Promise';
  return false;
}

/** Time sources and shared-memory reads that a busy-wait polls. */
const POLLS = /\b(Date\.now|performance\.now|Atomics\.load)\s*\(|\bnew Date\s*\(/;

/**
 * A loop that spins on the clock or on shared memory without yielding: a condition that polls, and a body that
 * is empty or only polls again (no await, no other call).
 */
export function isBusyWait(loop: Node): boolean {
  let condition: Node | undefined;
  let body: Node | undefined;
  if (Node.isWhileStatement(loop) || Node.isDoStatement(loop)) {
    condition = loop.getExpression();
    body = loop.getStatement();
  } else if (Node.isForStatement(loop)) {
    condition = loop.getCondition();
    body = loop.getStatement();
  }
  if (condition === undefined || body === undefined || !POLLS.test(condition.getText())) return false;
  if (condition.getDescendantsOfKind(SyntaxKind.AwaitExpression).length > 0) return false;
  const inner = [body, ...body.getDescendants()];
  return inner.every((n) => {
    if (Node.isAwaitExpression(n) || Node.isYieldExpression(n) || Node.isBreakStatement(n) || Node.isReturnStatement(n) || Node.isThrowStatement(n)) return false;
    if (Node.isCallExpression(n)) return POLLS.test(`${n.getExpression().getText()}(`);
    return true;
  });
}
