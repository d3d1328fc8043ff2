/**
 * Small text helpers the fixes share: where a line starts and its indentation, the text of a run of statements,
 * removing a statement with its line, the statement a call stands in, and the function a node runs in (and whether
 * code returns from it).
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import type { TextEdit } from '../types.js';

export function functionOf(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
}

/** Whether any of `nodes`, or anything inside them, is a `return` of `fn` itself (not of a function nested in it). */
export function returnsFrom(fn: Node | undefined, nodes: readonly Node[]): boolean {
  return nodes.some((s) => [s, ...s.getDescendants()].some((n) => Node.isReturnStatement(n) && functionOf(n) === fn));
}

/** The offset where the line holding `node`'s start begins. */
export function lineStartOf(node: Node): number {
  return node.getSourceFile().getFullText().lastIndexOf('\n', node.getStart() - 1) + 1;
}

/** The whitespace that starts the line `node` starts on. */
export function indentOf(node: Node): string {
  return /^[ \t]*/.exec(node.getSourceFile().getFullText().slice(lineStartOf(node)))![0];
}

/** The source of consecutive statements, from the start of the first one's line to the end of the last one. */
export function statementsText(statements: readonly Node[]): string {
  return statements[0]!.getSourceFile().getFullText().slice(lineStartOf(statements[0]!), statements.at(-1)!.getEnd());
}

/**
 * Deletes `statement`. When it is alone on its line (a trailing `//` comment included, which belonged to it) the
 * whole line goes, so no blank line is left behind.
 */
export function removeStatement(statement: Node): TextEdit {
  const file = statement.getSourceFile();
  const text = file.getFullText();
  const lineStart = lineStartOf(statement);
  const newline = text.indexOf('\n', statement.getEnd());
  const lineEnd = newline < 0 ? text.length : newline;
  const before = text.slice(lineStart, statement.getStart());
  const after = text.slice(statement.getEnd(), lineEnd);
  if (/^\s*$/.test(before) && /^\s*(\/\/.*)?$/.test(after)) {
    return { file: file.getFilePath(), start: lineStart, end: newline < 0 ? text.length : newline + 1, newText: '' };
  }
  return { file: file.getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText: '' };
}

/**
 * Where `node`'s line-end comment ends (`x = 1; // TODO` or `/* note *\/` after it on the same line, with nothing
 * else), so a rewrite that moves the node takes its comment along; else `node`'s own end.
 */
export function trailingCommentEnd(node: Node): number {
  const text = node.getSourceFile().getFullText();
  const newline = text.indexOf('\n', node.getEnd());
  const rest = text.slice(node.getEnd(), newline < 0 ? text.length : newline).replace(/\r$/, '');
  return /^\s*(\/\/.*|\/\*.*\*\/\s*)$/.test(rest) ? node.getEnd() + rest.trimEnd().length : node.getEnd();
}

/** The statement a call is the whole of (`m.lock();`, `await m.lockAsync();`), if it is one. */
export function statementOfCall(call: Node): Node | undefined {
  let expression: Node = call;
  while (Node.isAwaitExpression(expression.getParent()!) || Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const parent = expression.getParent();
  return parent && Node.isExpressionStatement(parent) ? parent : undefined;
}

/** Re-indents a block of text from one indentation to another, line by line (all but the first line). */
export function reindentText(text: string, from: string, to: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.trim() === '' ? '' : to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart())))
    .join('\n');
}

/**
 * The text of `file` from `start` to `end` with each line moved from indentation `from` to `to`: every line that
 * starts in the range (the first one too when `start` is where its line starts). A line that starts inside a
 * template literal is left as it is, since its leading spaces belong to the string.
 */
export function reindentRange(file: SourceFile, start: number, end: number, from: string, to: string): string {
  const text = file.getFullText();
  const literals = [
    ...file.getDescendantsOfKind(SyntaxKind.NoSubstitutionTemplateLiteral),
    ...file.getDescendantsOfKind(SyntaxKind.TemplateExpression),
  ].filter((n) => n.getEnd() > start && n.getStart() < end);
  const inLiteral = (offset: number): boolean => literals.some((n) => n.getStart() < offset && offset < n.getEnd());
  let offset = start;
  return text
    .slice(start, end)
    .split('\n')
    .map((line, i) => {
      const at = offset;
      offset += line.length + 1;
      const startsLine = i > 0 || at === 0 || text[at - 1] === '\n';
      if (!startsLine || inLiteral(at)) return line;
      if (line.trim() === '') return '';
      return to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart());
    })
    .join('\n');
}
