/**
 * Which nodes are functions the model walks: declarations, methods, arrows, function expressions, constructors and
 * accessors. A leaf module, so the value model and the call graph can both ask without importing each other.
 */
import { ts, type Node } from 'ts-morph';

export function isFunctionLike(node: Node): boolean {
  return isCompilerFunctionLike(node.compilerNode);
}

/** `isFunctionLike` on a compiler node, for walks that wrap only the nodes they keep. */
export function isCompilerFunctionLike(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) ||
    ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)
  );
}

/**
 * The nearest function around `node` that is not an arrow or a function expression (a declaration, method,
 * constructor or accessor): for a callback literal, the function that wrote it. Undefined at a module's top level.
 */
export function declaredFunctionAround(node: Node): Node | undefined {
  for (let current = node.getParent(); current !== undefined; current = current.getParent()) {
    if (isCompilerFunctionLike(current.compilerNode) && !ts.isArrowFunction(current.compilerNode) && !ts.isFunctionExpression(current.compilerNode)) return current;
  }
  return undefined;
}
