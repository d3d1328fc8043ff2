/**
 * Small text helpers the fixes share: removing a statement with its line, the indentation of a line, the
 * statement a call stands in, and the function a node runs in.
 */
import { Node } from 'ts-morph';
import type { TextEdit } from '../types.js';

export function functionOf(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
}

/** The whitespace that starts the line `node` starts on. */
export function indentOf(node: Node): string {
  const text = node.getSourceFile().getFullText();
  return /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', node.getStart() - 1) + 1))![0];
}

/**
 * Deletes `statement`. When it is alone on its line (a trailing `//` comment included, which belonged to it) the
 * whole line goes, so no blank line is left behind.
 */
export function removeStatement(statement: Node): TextEdit {
  const file = statement.getSourceFile();
  const text = file.getFullText();
  const lineStart = text.lastIndexOf('\n', statement.getStart() - 1) + 1;
  const newline = text.indexOf('\n', statement.getEnd());
  const lineEnd = newline < 0 ? text.length : newline;
  const before = text.slice(lineStart, statement.getStart());
  const after = text.slice(statement.getEnd(), lineEnd);
  if (/^\s*$/.test(before) && /^\s*(\/\/.*)?$/.test(after)) {
    return { file: file.getFilePath(), start: lineStart, end: newline < 0 ? text.length : newline + 1, newText: '' };
  }
  return { file: file.getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText: '' };
}

/** The statement a call is the whole of (`m.lock();`, `await m.lockAsync();`), if it is one. */
export function statementOfCall(call: Node): Node | undefined {
  let expression: Node = call;
  while (Node.isAwaitExpression(expression.getParent()!) || Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const parent = expression.getParent();
  return parent && Node.isExpressionStatement(parent) ? parent : undefined;
}

/** Re-indents a block of text from one indentation to another, line by line. */
export function reindentText(text: string, from: string, to: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.trim() === '' ? '' : to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart())))
    .join('\n');
}
