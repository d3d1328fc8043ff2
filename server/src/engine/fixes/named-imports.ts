/**
 * The named import a call's callee comes from, as the twin fixes (fixes/async-twin.ts) rename or remove it: an ES
 * `import { readFileSync } from 'fs'`, or a CommonJS script's `const { readFileSync } = require('fs')`; whether the
 * call is its last use in the file; and the edit that deletes it.
 */
import { Node, ts, type BindingElement, type CallExpression, type ImportSpecifier, type SourceFile } from 'ts-morph';
import type { TextEdit } from '../types.js';
import { requireSpecifier } from '../detect/blocking-calls.js';
import { findNodes } from '../detect/compiler-walk.js';

export interface NamedImport {
  /** The import specifier or the element of the `require` destructuring. */
  binding: ImportSpecifier | BindingElement;
  /** The module named: `'fs'`, `'node:zlib'`. */
  module: string;
  /** The imported name's node (`readFileSync` in `{ readFileSync }`); the local name is another node when renamed. */
  nameNode: Node;
  renamed: boolean;
  /** The call was the last use of the local name in its file. */
  lastUse: boolean;
}

/** The named import that `call`'s callee (a plain name) comes from, in `call`'s own file. */
export function namedImportOfCallee(call: CallExpression): NamedImport | undefined {
  const callee = call.getExpression();
  if (!Node.isIdentifier(callee)) return undefined;
  const symbol = callee.getSymbol();
  if (symbol === undefined) return undefined;
  let found: Omit<NamedImport, 'lastUse'> | undefined;
  let statement: Node | undefined;
  for (const declaration of symbol.getDeclarations()) {
    if (declaration.getSourceFile() !== call.getSourceFile()) continue;
    if (Node.isImportSpecifier(declaration)) {
      const alias = declaration.getAliasNode();
      const imports = declaration.getImportDeclaration();
      found = { binding: declaration, module: imports.getModuleSpecifierValue(), nameNode: declaration.getNameNode(), renamed: alias !== undefined };
      statement = imports;
    } else if (Node.isBindingElement(declaration)) {
      const required = requireOf(declaration);
      if (required === undefined) continue;
      const property = declaration.getPropertyNameNode();
      found = { binding: declaration, module: required.module, nameNode: property ?? declaration.getNameNode(), renamed: property !== undefined };
      statement = required.statement;
    }
    if (found !== undefined) break;
  }
  if (found === undefined || statement === undefined) return undefined;
  const compilerSymbol = symbol.compilerSymbol;
  const local = callee.getText();
  const within = statement;
  const uses = findNodes(call.getSourceFile(), (n) => ts.isIdentifier(n) && n.text === local).filter((n) => {
    if (n === callee || (n.getPos() >= within.getPos() && n.getEnd() <= within.getEnd())) return false;
    // A name the checker cannot place, or a `{ name }` shorthand, may still be this import: keep it, erring towards keeping.
    const other = n.getSymbol()?.compilerSymbol;
    return other === undefined || other === compilerSymbol || Node.isShorthandPropertyAssignment(n.getParent());
  });
  return { ...found, lastUse: uses.length === 0 };
}

/** `const { name } = require('m')` at the top level of a script: the module and the whole statement. */
function requireOf(element: BindingElement): { module: string; statement: Node } | undefined {
  const pattern = element.getParent();
  const declaration = pattern?.getParent();
  if (!Node.isObjectBindingPattern(pattern) || declaration === undefined || !Node.isVariableDeclaration(declaration)) return undefined;
  const initializer = declaration.getInitializer();
  const module = initializer === undefined ? undefined : requireSpecifier(initializer);
  if (module === undefined) return undefined;
  const statement = declaration.getVariableStatement();
  if (statement === undefined || !Node.isSourceFile(statement.getParent())) return undefined;
  return { module, statement };
}

/**
 * The edit that deletes one named import: the name and its comma, or the whole statement (and its line break) when it
 * is the only name. Undefined for a `require` statement that declares more than the destructuring.
 */
export function namedImportRemoval(found: NamedImport): TextEdit | undefined {
  const { binding } = found;
  const file = binding.getSourceFile();
  const path = file.getFilePath();
  let names: Node[];
  let statement: Node;
  if (Node.isImportSpecifier(binding)) {
    const declaration = binding.getImportDeclaration();
    names = declaration.getNamedImports();
    statement = declaration;
    const defaultImport = declaration.getDefaultImport();
    if (names.length === 1 && defaultImport !== undefined) {
      // `fs, { readFileSync }`: keep the default import.
      return { file: path, start: defaultImport.getEnd(), end: declaration.getImportClauseOrThrow().getNamedBindingsOrThrow().getEnd(), newText: '' };
    }
  } else {
    const pattern = binding.getParent();
    const declaration = pattern.getParent();
    if (!Node.isVariableDeclaration(declaration)) return undefined;
    const variables = declaration.getVariableStatementOrThrow();
    if (variables.getDeclarations().length !== 1) return undefined;
    names = pattern.getElements();
    statement = variables;
  }
  const index = names.indexOf(binding);
  if (names.length > 1) {
    // `a, b, c`: drop `b, ` up to the next name; the last name takes the comma before it instead.
    if (index < names.length - 1) return { file: path, start: binding.getStart(), end: names[index + 1]!.getStart(), newText: '' };
    return { file: path, start: names[index - 1]!.getEnd(), end: binding.getEnd(), newText: '' };
  }
  const text = file.getFullText();
  let end = statement.getEnd();
  if (text.startsWith('\r\n', end)) end += 2;
  else if (text.startsWith('\n', end)) end += 1;
  return { file: path, start: statement.getStart(), end, newText: '' };
}

export function lineBreakOf(file: SourceFile): string {
  return file.getFullText().includes('\r\n') ? '\r\n' : '\n';
}
