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
