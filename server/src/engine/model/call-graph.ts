/**
 * The call graph of the analysed files: which function a call runs (by symbol, through imports and methods),
 * who calls each function, which functions are roots, and which callbacks run in place (withLock, forEach, IIFEs).
 */
import { Node, ts, type CallExpression, type SourceFile } from 'ts-morph';
import { runtimeFunctionOfCallee } from './runtime.js';

const IN_PLACE_METHODS = new Set([
  'withLock', 'withLockAsync', 'withPermit',
  'forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'flatMap', 'sort',
]);

/** Text that shows a function may take or release a lock itself. */
const LOCKING_TEXT = /\.(lock|unlock|tryLock|lockAsync|withLock|withLockAsync|acquire|acquireAsync|tryAcquire|release|withPermit)\s*\(|\block(All|AllAsync)\s*\(|\busing\s/;

export function isFunctionLike(node: Node): boolean {
  return (
    Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node) || Node.isArrowFunction(node) ||
    Node.isFunctionExpression(node) || Node.isConstructorDeclaration(node) || Node.isGetAccessorDeclaration(node) ||
    Node.isSetAccessorDeclaration(node)
  );
}

export class CallGraph {
  private readonly inFiles: ReadonlySet<SourceFile>;
  private readonly functions = new Map<SourceFile, Node[]>();
  private readonly callers = new Map<Node, CallExpression[]>();
  private readonly callees = new Map<Node, Node[]>();
  private readonly targets = new Map<CallExpression, Node | undefined>();
  private readonly touching = new Map<Node, boolean>();
  /** Functions used other than by being called (passed as a callback, stored): they run from unknown places. */
  private readonly escaping = new Set<Node>();

  constructor(files: readonly SourceFile[]) {
    this.inFiles = new Set(files);
    // One pass over the compiler's own nodes (wrapping every node costs more than the whole walk):
    // collect function-likes and calls, and resolve by symbol only calls whose name some function here has.
    const declared = new Set<string>();
    const candidates: [SourceFile, ts.CallExpression][] = [];
    for (const file of files) {
      const fns: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        if (isCompilerFunctionLike(node)) {
          fns.push(node);
          const name = declaredName(node);
          if (name) declared.add(name);
        }
        if (ts.isCallExpression(node)) candidates.push([file, node]);
        ts.forEachChild(node, visit);
      };
      visit(file.compilerNode);
      const wrapped = fns.map((fn) => wrap(file, fn));
      this.functions.set(file, wrapped);
    }
    for (const [file, raw] of candidates) {
      const callee = raw.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name === undefined || !declared.has(name)) continue;
      const call = wrap(file, raw) as CallExpression;
      const target = this.calleeOf(call);
      if (!target) continue;
      const list = this.callers.get(target) ?? [];
      list.push(call);
      this.callers.set(target, list);
      const from = this.enclosingFunction(call);
      if (from) this.callees.set(from, [...(this.callees.get(from) ?? []), target]);
    }
    for (const fns of this.functions.values()) for (const fn of fns) if (this.isEscaping(fn)) this.escaping.add(fn);
  }

  functionsOf(file: SourceFile): readonly Node[] {
    return this.functions.get(file) ?? [];
  }

  callersOf(fn: Node): readonly CallExpression[] {
    return this.callers.get(fn) ?? [];
  }

  calleesOf(fn: Node): readonly Node[] {
    return this.callees.get(fn) ?? [];
  }

  /** A root runs from somewhere the analysis cannot see: no known call site, or its value escapes. */
  isRoot(fn: Node): boolean {
    return this.escaping.has(fn) || this.callersOf(fn).length === 0;
  }

  /** The function-like a call runs, when it is declared (with a body) in the analysed files. */
  calleeOf(call: CallExpression): Node | undefined {
    if (this.targets.has(call)) return this.targets.get(call);
    let target: Node | undefined;
    const callee = call.getExpression();
    const nameNode = Node.isIdentifier(callee) ? callee : Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : undefined;
    if (nameNode) {
      let symbol = nameNode.getSymbol();
      if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
      let declaration = symbol?.getDeclarations().find((d) => !Node.isMethodSignature(d)) ?? symbol?.getDeclarations()[0];
      if (declaration && (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration))) {
        const initializer = declaration.getInitializer();
        declaration = initializer && (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer)) ? initializer : undefined;
      }
      if (declaration && isFunctionLike(declaration) && this.inFiles.has(declaration.getSourceFile())) {
        if ((declaration as Node & { getBody?(): Node | undefined }).getBody?.()) target = declaration;
      }
    }
    this.targets.set(call, target);
    return target;
  }

  /** The nearest enclosing function that is not a callback run in place (whose code belongs to its caller). */
  enclosingFunction(node: Node): Node | undefined {
    let current = node.getParent();
    while (current) {
      if (isFunctionLike(current) && !this.isInlineCallback(current)) return current;
      current = current.getParent();
    }
    return undefined;
  }

  /** A function expression run before its call returns: `m.withLock(() => ...)`, `xs.forEach(...)`, `lockAll(..., fn)`, an IIFE. */
  isInlineCallback(fn: Node): boolean {
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return false;
    let child: Node = fn;
    let parent = fn.getParent();
    while (parent && Node.isParenthesizedExpression(parent)) {
      child = parent;
      parent = parent.getParent();
    }
    if (!parent || !Node.isCallExpression(parent)) return false;
    if (parent.getExpression() === child) return true;
    const callee = parent.getExpression();
    if (Node.isPropertyAccessExpression(callee) && IN_PLACE_METHODS.has(callee.getName())) return true;
    return runtimeFunctionOfCallee(callee) !== undefined;
  }

  /** Whether walking `fn` can change the held set: it locks or unlocks, or calls something that does. */
  touchesLocks(fn: Node): boolean {
    const known = this.touching.get(fn);
    if (known !== undefined) return known;
    this.touching.set(fn, false);
    const result = LOCKING_TEXT.test(fn.getText()) || this.calleesOf(fn).some((c) => this.touchesLocks(c));
    this.touching.set(fn, result);
    return result;
  }

  private isEscaping(fn: Node): boolean {
    if (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) {
      if (this.isInlineCallback(fn)) return false;
      const parent = fn.getParent();
      // `const f = () => ...` is called by name; anything else (an argument, a property value) escapes.
      return !(parent && (Node.isVariableDeclaration(parent) || Node.isPropertyDeclaration(parent)));
    }
    if (Node.isConstructorDeclaration(fn)) return true;
    return false;
  }
}


function isCompilerFunctionLike(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)
  );
}

/** The name a call would use for this function: its own, or the variable or property it initialises. */
function declaredName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && !ts.isComputedPropertyName(node.name)) {
    return node.name.getText();
  }
  const parent = node.parent;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent))) {
    return parent.name.getText();
  }
  return undefined;
}

/** The ts-morph wrapper of a compiler node, from the project's cache (the public API offers no cached lookup by node). */
export function wrap(file: SourceFile, node: ts.Node): Node {
  return (file as unknown as { _getNodeFromCompilerNode(n: ts.Node): Node })._getNodeFromCompilerNode(node);
}
