/**
 * A fast pre-pass over a file's TypeScript compiler nodes. ts-morph wraps every node it visits, which costs more
 * than the rules' own checks; walking the raw tree and wrapping only the candidates keeps rules cheap on big files.
 */
import { ts, type Node, type SourceFile } from 'ts-morph';
import { getOrInsert } from '../maps.js';

/** The ts-morph wrappers of the compiler nodes of `file` that `match` accepts, in document order. */
export function findNodes(file: SourceFile, match: (node: ts.Node) => boolean): Node[] {
  const found: Node[] = [];
  const visit = (node: ts.Node): void => {
    if (match(node)) found.push(wrap(file, node));
    ts.forEachChild(node, visit);
  };
  visit(file.compilerNode);
  return found;
}

/** Results of `findNodesCached`, by file version and matcher. */
const cached = new WeakMap<ts.SourceFile, Map<(node: ts.Node) => boolean, readonly Node[]>>();

/**
 * `findNodes`, remembered while the file's text is unchanged: a language server re-runs rules after every edit,
 * and most files have not changed. `match` must be a module-level function (it is a cache key) and purely syntactic.
 */
export function findNodesCached(file: SourceFile, match: (node: ts.Node) => boolean): readonly Node[] {
  const byMatcher = getOrInsert(cached, file.compilerNode, () => new Map<(node: ts.Node) => boolean, readonly Node[]>());
  return getOrInsert(byMatcher, match, () => findNodes(file, match));
}

/** The wrapper from the project's own cache, so types and symbols work on it (the public API has no cached lookup). */
export function wrap(file: SourceFile, node: ts.Node): Node {
  return (file as unknown as { _getNodeFromCompilerNode(n: ts.Node): Node })._getNodeFromCompilerNode(node);
}

/** Strips parentheses, `!`, `as`, `satisfies` and `<T>` casts, which do not change what is read or written. */
export function skipOuterExpressions(node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) || ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}
