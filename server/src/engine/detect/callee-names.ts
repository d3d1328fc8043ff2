/**
 * The names by which a method call can reach a function written in the program's own files, read from the syntax
 * alone. A call like `view.setInt32()` or `navigator.locks.request()` whose name is none of them runs no such
 * function, so it is settled without asking the type checker, which in JavaScript infers the receiver's type first.
 */
import { ts, type SourceFile } from 'ts-morph';
import { getOrInsert } from '../maps.js';

/** Each file's names, kept while its text is unchanged (a language server rebuilds the program after each edit). */
const byFile = new WeakMap<ts.SourceFile, readonly string[]>();
/** The union over one program's own files. */
const byProgram = new WeakMap<ts.Program, ReadonlySet<string>>();

/**
 * Whether a property name (`x.name()`, `this.#name()`) can denote a function-like declaration with a body in the
 * program's own files (not declaration files, not node_modules), directly or through an alias: false settles it.
 */
export function mayNameOwnFunction(name: string, file: SourceFile): boolean {
  const program = file.getProject().getProgram().compilerObject;
  const names = getOrInsert(byProgram, program, () => {
    const all = new Set<string>(['default']);
    for (const source of program.getSourceFiles()) {
      if (source.isDeclarationFile || source.fileName.includes('/node_modules/')) continue;
      for (const own of getOrInsert(byFile, source, () => namesIn(source))) all.add(own);
    }
    return all;
  });
  return names.has(name);
}

/**
 * A superset of the names a symbol reached by a property name can have when one of its declarations is a function
 * of this file: the function's own name (a method, accessor or function declaration, or the variable or property
 * an arrow or function expression initialises), and every name an alias of one may be read by (export specifiers,
 * and JavaScript's `exports.name = f` and `module.exports = { name }`).
 */
function namesIn(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const add = (name: ts.Node | undefined): void => {
    if (name === undefined) return;
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) names.push(name.text);
    else if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) names.push(name.expression.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) add(node.name);
    else if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) add(node.name);
    else if (ts.isExportSpecifier(node)) {
      add(node.name);
      add(node.propertyName);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) add(node.left.name);
    else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) add(node.name);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}
