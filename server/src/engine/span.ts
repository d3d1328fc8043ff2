/**
 * Converts ts-morph nodes and offsets into the engine's `Span` (1-based lines and columns, 0-based offsets).
 * Every finding and related location goes through here, so positions are computed one way only.
 */
import type { Node, SourceFile } from 'ts-morph';
import type { Span } from './types.js';

/** The span of `node` without its leading trivia (comments, whitespace). */
export function spanOf(node: Node): Span {
  return spanOfRange(node.getSourceFile(), node.getStart(), node.getEnd());
}

export function spanOfRange(file: SourceFile, start: number, end: number): Span {
  const from = file.getLineAndColumnAtPos(start);
  const to = file.getLineAndColumnAtPos(end);
  return {
    file: file.getFilePath(),
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    start,
    end,
  };
}
