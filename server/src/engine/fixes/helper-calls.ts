/**
 * Where a helper that the chain fix (fixes/async-chain.ts) would make async is named: every call of it in the
 * program, and whether its module exports it. A helper its module does not export is looked for in that module
 * alone; an exported one (`export function`, `export { f }`, CommonJS `exports.f = f` or `module.exports = { f }`)
 * in every file of the program that names it, through `import { f }`, `const { f } = require(...)` and namespace
 * imports (`ns.f()`). Anything else that names it (passed as a value, imported under another name, the module
 * itself exported as the function) makes the calls unknowable, and the answer undefined.
 */
import { Node, SyntaxKind, ts, type CallExpression, type SourceFile } from 'ts-morph';
import type { FunctionLike } from '../detect/blocking-summary.js';
import { findNodes } from '../detect/compiler-walk.js';
import { awaitableOwner } from './for-each-loop.js';

export interface HelperCalls {
  calls: CallExpression[];
  /** Exported from its module: code outside the program may call it too, and would get a promise. */
  exported: boolean;
}

/** The calls of `helper` (named by `nameNode`), or undefined when something other than a call or an export names it. */
export function callsOfHelper(helper: FunctionLike, nameNode: Node, declaredExported: boolean): HelperCalls | undefined {
  const own = helper.getSourceFile();
  const symbol = nameNode.getSymbol()?.compilerSymbol;
  if (symbol === undefined) return undefined;
  const found: HelperCalls = { calls: [], exported: declaredExported };
  if (!usesIn(own, helper, nameNode, symbol, found)) return undefined;
  if (!found.exported) return found;
  // Only a module-level function can be imported by name; a class's method never reaches here exported.
  for (const file of own.getProject().getSourceFiles()) {
    if (file === own || file.isDeclarationFile() || file.isInNodeModules()) continue;
    if (!file.getFullText().includes(nameNode.getText())) continue;
    if (!usesIn(file, helper, nameNode, symbol, found)) return undefined;
  }
  return found;
}

/** Adds the uses of the helper in `file` to `found`; false when one of them is neither a call nor an export or import. */
function usesIn(file: SourceFile, helper: FunctionLike, nameNode: Node, symbol: ts.Symbol, found: HelperCalls): boolean {
  const name = nameNode.getText();
  const own = file === helper.getSourceFile();
  const uses = findNodes(file, (n) => (ts.isIdentifier(n) || (own && ts.isPrivateIdentifier(n))) && n.text === name);
  for (const use of uses) {
    if (use === nameNode) continue;
    const resolved = resolvedSymbol(use);
    const parent = use.getParent();
    const shorthand = parent !== undefined && Node.isShorthandPropertyAssignment(parent);
    // A name the checker cannot place may still be the helper: erring towards no fix.
    if (resolved !== undefined && resolved !== symbol && !shorthand) continue;
    if (parent === undefined) return false;
    if (exportsHelper(use, parent)) {
      found.exported = true;
      continue;
    }
    if (importsUnrenamed(use, parent)) continue;
    const callee = Node.isPropertyAccessExpression(parent) && parent.getNameNode() === use ? parent : use;
    const call = callee.getParent();
    if (call === undefined || !Node.isCallExpression(call) || call.getExpression() !== callee) return false;
    // A helper that calls itself in its own body (or a `forEach` body made a loop) awaits itself there, once async;
    // a call from another callback nested in it (`names.flatMap(...)`) could not await and would drop the promise.
    if (call.getFirstAncestor((a) => a === helper) !== undefined && awaitableOwner(call).owner !== helper) return false;
    found.calls.push(call);
  }
  return true;
}

/** The symbol `use` names, through an import's or a CommonJS export's alias. */
function resolvedSymbol(use: Node): ts.Symbol | undefined {
  const symbol = use.getSymbol();
  if (symbol === undefined) return undefined;
  return (symbol.isAlias() ? symbol.getAliasedSymbol() ?? symbol : symbol).compilerSymbol;
}

/** `export { f }`, `exports.f = f` / `module.exports.f = f` (either side), or `module.exports = { f }`. */
function exportsHelper(use: Node, parent: Node): boolean {
  if (Node.isExportSpecifier(parent)) return parent.getAliasNode() === undefined;
  const assignment = Node.isPropertyAccessExpression(parent) && parent.getNameNode() === use ? parent.getParent() : parent;
  if (Node.isBinaryExpression(assignment) && assignment.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const target = assignment.getLeft();
    return Node.isPropertyAccessExpression(target) && isExportsObject(target.getExpression()) && target.getName() === use.getText() &&
      (target.getNameNode() === use || assignment.getRight() === use);
  }
  if (Node.isShorthandPropertyAssignment(parent)) {
    const literal = parent.getParent();
    const assigned = literal?.getParent();
    return assigned !== undefined && Node.isBinaryExpression(assigned) && assigned.getRight() === literal &&
      assigned.getOperatorToken().getKind() === SyntaxKind.EqualsToken && assigned.getLeft().getText() === 'module.exports';
  }
  return false;
}

function isExportsObject(node: Node): boolean {
  const text = node.getText();
  return text === 'exports' || text === 'module.exports';
}

/** `import { f } from ...` or `const { f } = require(...)`: the binding keeps the helper's name, so its calls are found by it. */
function importsUnrenamed(use: Node, parent: Node): boolean {
  if (Node.isImportSpecifier(parent)) return parent.getAliasNode() === undefined;
  if (!Node.isBindingElement(parent) || parent.getPropertyNameNode() !== undefined || parent.getNameNode() !== use) return false;
  const declaration = parent.getParent()?.getParent();
  if (declaration === undefined || !Node.isVariableDeclaration(declaration)) return false;
  const initializer = declaration.getInitializer();
  return initializer !== undefined && Node.isCallExpression(initializer) && initializer.getExpression().getText() === 'require';
}
