/**
 * Recognises the classes and functions of `@deadbolt/runtime` by symbol: an import from the runtime's module
 * specifier, or a declaration inside the runtime package once the type checker resolves it. Never by a lone name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Node, type Identifier, type Symbol as MorphSymbol, type Type } from 'ts-morph';
import { asyncMutexClassOfNamespaceMember, asyncMutexClassOfSymbol, asyncMutexClassOfType } from './lock-models.js';
import { symbolOf, declarationOf } from './symbol-cache.js';

export const RUNTIME_MODULE = '@deadbolt/runtime';

export const RUNTIME_CLASSES = [
  'Mutex',
  'RecursiveMutex',
  'Semaphore',
  'Condition',
  'Event',
  'Barrier',
  'SharedQueue',
  'LockGuard',
] as const;
export type RuntimeClass = (typeof RUNTIME_CLASSES)[number];

export const RUNTIME_FUNCTIONS = ['lockAll', 'lockAllAsync'] as const;
export type RuntimeFunction = (typeof RUNTIME_FUNCTIONS)[number];

/** Kinds that the lock graph tracks as locks (the rest only block). */
export type LockKind = 'Mutex' | 'RecursiveMutex' | 'Semaphore' | 'Condition';
export const LOCK_KINDS: ReadonlySet<string> = new Set(['Mutex', 'RecursiveMutex', 'Semaphore', 'Condition']);

/** The `name` of the package.json nearest above each directory asked about, cached: many files share a folder. */
const packageNames = new Map<string, string | undefined>();

export function packageNameOf(directory: string): string | undefined {
  if (packageNames.has(directory)) return packageNames.get(directory);
  let name: string | undefined;
  try {
    const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: unknown };
    name = typeof manifest.name === 'string' ? manifest.name : undefined;
  } catch {
    const parent = path.dirname(directory);
    name = parent === directory ? undefined : packageNameOf(parent);
  }
  packageNames.set(directory, name);
  return name;
}

/**
 * A declaration belongs to the runtime when the package that contains its file is `@deadbolt/runtime`, whatever
 * folder it is installed in: a user's own `packages/runtime/src/mutex.ts` is not ours.
 */
export function isRuntimeFile(filePath: string): boolean {
  return packageNameOf(path.dirname(filePath)) === RUNTIME_MODULE;
}

/** The runtime export a symbol stands for, following imports, namespace imports and re-exports. */
export function runtimeExportOfSymbol(symbol: MorphSymbol | undefined): string | undefined {
  if (!symbol) return undefined;
  for (const declaration of symbol.getDeclarations()) {
    if (Node.isImportSpecifier(declaration)) {
      const module = declaration.getImportDeclaration().getModuleSpecifierValue();
      if (module === RUNTIME_MODULE) return declaration.getName();
    }
    if (isRuntimeFile(declaration.getSourceFile().getFilePath())) return symbol.getName();
  }
  if (symbol.isAlias()) {
    const target = symbol.getAliasedSymbol();
    if (target && target !== symbol) return runtimeExportOfSymbol(target);
  }
  return undefined;
}

/** The runtime class an identifier (a `new` target, a type reference, a `Mutex.from` receiver) names. */
export function runtimeClassOfIdentifier(node: Node): RuntimeClass | undefined {
  let symbol: MorphSymbol | undefined;
  if (Node.isIdentifier(node)) symbol = symbolOf(node);
  else if (Node.isPropertyAccessExpression(node) || Node.isQualifiedName(node)) {
    // `rt.Mutex` with `import * as rt from '@deadbolt/runtime'`.
    const left = Node.isPropertyAccessExpression(node) ? node.getExpression() : node.getLeft();
    const name = Node.isPropertyAccessExpression(node) ? node.getName() : node.getRight().getText();
    if (Node.isIdentifier(left) && isRuntimeNamespace(left)) return asRuntimeClass(name);
    const fromNamespace = asyncMutexClassOfNamespaceMember(left, name);
    if (fromNamespace) return fromNamespace;
    symbol = symbolOf(node);
  }
  // async-mutex's Mutex and Semaphore are the same kinds of lock (see lock-models.ts), recognised by symbol too.
  return asRuntimeClass(runtimeExportOfSymbol(symbol)) ?? asyncMutexClassOfSymbol(symbol);
}

function isRuntimeNamespace(identifier: Identifier): boolean {
  const declaration = declarationOf(identifier);
  if (!declaration || !Node.isNamespaceImport(declaration)) return false;
  const importDeclaration = declaration.getFirstAncestor((a) => Node.isImportDeclaration(a));
  return importDeclaration !== undefined && Node.isImportDeclaration(importDeclaration) && importDeclaration.getModuleSpecifierValue() === RUNTIME_MODULE;
}

export function asRuntimeClass(name: string | undefined): RuntimeClass | undefined {
  return name !== undefined && (RUNTIME_CLASSES as readonly string[]).includes(name) ? (name as RuntimeClass) : undefined;
}

/** The runtime class of a resolved type (`Mutex`, `LockGuard`, `Promise<LockGuard>` is not unwrapped). */
export function runtimeClassOfType(type: Type): RuntimeClass | undefined {
  const symbol = type.getSymbol() ?? type.getAliasSymbol();
  if (!symbol) return undefined;
  const name = asRuntimeClass(symbol.getName());
  if (name && symbol.getDeclarations().some((d) => isRuntimeFile(d.getSourceFile().getFilePath()))) return name;
  return asyncMutexClassOfType(type);
}

/** The runtime class named by a type annotation such as `Mutex`, `rt.Mutex`, `readonly Mutex[]`'s element. */
export function runtimeClassOfTypeNode(typeNode: Node | undefined): RuntimeClass | undefined {
  if (!typeNode) return undefined;
  if (Node.isTypeReference(typeNode)) return runtimeClassOfIdentifier(typeNode.getTypeName());
  return undefined;
}

/** The element class of a collection type annotation: `Mutex[]`, `readonly Mutex[]`, `Array<Mutex>`, `Map<K, Mutex>`, `Record<K, Mutex>`. */
export function runtimeElementClassOfTypeNode(typeNode: Node | undefined): RuntimeClass | undefined {
  if (!typeNode) return undefined;
  if (Node.isTypeOperatorTypeNode(typeNode)) return runtimeElementClassOfTypeNode(typeNode.getTypeNode());
  if (Node.isArrayTypeNode(typeNode)) return runtimeClassOfTypeNode(typeNode.getElementTypeNode());
  if (Node.isTypeReference(typeNode) && /^(Readonly)?Array$/.test(typeNode.getTypeName().getText())) {
    return runtimeClassOfTypeNode(typeNode.getTypeArguments()[0]);
  }
  if (Node.isTypeReference(typeNode) && /^(Readonly)?Map$|^Record$/.test(typeNode.getTypeName().getText())) {
    return runtimeClassOfTypeNode(typeNode.getTypeArguments()[1]);
  }
  return undefined;
}

/** `lockAll` / `lockAllAsync` when the callee is the runtime's function. */
export function runtimeFunctionOfCallee(callee: Node): RuntimeFunction | undefined {
  if (!Node.isIdentifier(callee) && !Node.isPropertyAccessExpression(callee)) return undefined;
  const name = Node.isIdentifier(callee) ? callee.getText() : callee.getName();
  if (!(RUNTIME_FUNCTIONS as readonly string[]).includes(name)) return undefined;
  const symbol = symbolOf(callee);
  const exported = runtimeExportOfSymbol(symbol);
  if (exported === name) return name as RuntimeFunction;
  if (Node.isPropertyAccessExpression(callee)) {
    const left = callee.getExpression();
    if (Node.isIdentifier(left) && isRuntimeNamespace(left)) return name as RuntimeFunction;
  }
  return undefined;
}
