/**
 * Which files one file's meaning can depend on: the modules it names (imports, re-exports, `import('x')`,
 * `require('x')`, `typeof import('x')`), as the compiler resolved them. Names, types and called functions reach a
 * module only through these, so the files a walk can read are the forward closure of this relation; the
 * exceptions (scripts and global augmentations, whose declarations every file sees) are flagged instead. One edge
 * runs the other way: a walk of a base class's method dispatches to its subclasses' overrides (dispatch.ts), so the
 * files of the classes a file's classes extend or implement are recorded too, as depending on it.
 */
import { ts } from 'ts-morph';

export interface FileDependencies {
  /** Resolved files (absolute paths, as the compiler names them) of the module specifiers in the file. */
  files: string[];
  /** A specifier that resolved to nothing: a file created later may be what it meant. */
  unresolved: boolean;
  /** A script or a `declare global`/`declare module` block: its declarations are visible without an import. */
  global: boolean;
  /** Files declaring the classes and interfaces this file's classes extend or implement: their walks read this file. */
  bases: string[];
}

export function dependenciesOf(file: ts.SourceFile, checker: ts.TypeChecker): FileDependencies {
  const files = new Set<string>();
  const bases = new Set<string>();
  let unresolved = false;
  let global = !ts.isExternalModule(file);
  const resolve = (specifier: ts.Node | undefined): void => {
    if (specifier === undefined || !ts.isStringLiteralLike(specifier)) return;
    const target = checker.getSymbolAtLocation(specifier)?.declarations?.find(ts.isSourceFile);
    if (target !== undefined) files.add(target.fileName);
    else unresolved = true;
  };
  const baseFile = (expression: ts.Expression): void => {
    let symbol = checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    for (const declaration of symbol?.declarations ?? []) bases.add(declaration.getSourceFile().fileName);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) resolve(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) resolve(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) resolve(node.argument.literal);
    else if (ts.isCallExpression(node) && isModuleCall(node)) resolve(node.arguments[0]);
    else if (ts.isModuleDeclaration(node) && (ts.isStringLiteral(node.name) || node.flags & ts.NodeFlags.GlobalAugmentation)) global = true;
    else if (ts.isClassDeclaration(node)) for (const clause of node.heritageClauses ?? []) for (const type of clause.types) baseFile(type.expression);
    ts.forEachChild(node, visit);
  };
  visit(file);
  files.delete(file.fileName);
  bases.delete(file.fileName);
  return { files: [...files], unresolved, global, bases: [...bases] };
}

/** `import('x')` and `require('x')`. */
function isModuleCall(call: ts.CallExpression): boolean {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(call.expression) && call.expression.text === 'require' && call.arguments.length === 1;
}
