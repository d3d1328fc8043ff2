/**
 * Converts ts-morph nodes and offsets into the engine's positions: `Span` for findings (1-based lines and columns,
 * 0-based offsets) and the protocol's `SourceLocation` for the lock graph (0-based, with a file URI). Every finding,
 * related location and graph location goes through here, so positions are computed one way only.
 */
import { pathToFileURL } from 'node:url';
import { ts, type Node, type SourceFile } from 'ts-morph';
import type { SourceLocation } from '../protocol/index.js';
import { getOrInsert } from './maps.js';
import type { Span } from './types.js';

/**
 * 0-based line and character of an offset, from the compiler's line table (built once per file version). Lines end
 * at `\n`, `\r\n` and `\r`, as LSP counts them; ts-morph's own `getLineAndColumnAtPos` rescans the text per call.
 */
function lineAndCharacter(file: SourceFile, pos: number): ts.LineAndCharacter {
  return ts.getLineAndCharacterOfPosition(file.compilerNode, pos);
}

/** The span of `node` without its leading trivia (comments, whitespace). */
export function spanOf(node: Node): Span {
  return spanOfRange(node.getSourceFile(), node.getStart(), node.getEnd());
}

export function spanOfRange(file: SourceFile, start: number, end: number): Span {
  const from = lineAndCharacter(file, start);
  const to = lineAndCharacter(file, end);
  return {
    file: file.getFilePath(),
    line: from.line + 1,
    column: from.character + 1,
    endLine: to.line + 1,
    endColumn: to.character + 1,
    start,
    end,
  };
}

/** File URIs by path: a lock graph names the same few files thousands of times. */
const uris = new Map<string, string>();

function fileUri(file: string): string {
  return getOrInsert(uris, file, () => pathToFileURL(file).href);
}

/**
 * Locations by file version, then by node: a node outlives an analysis while its file is unchanged, and so does its
 * location. Keyed by the file's compiler node first, so no location survives an edit of its file.
 */
const locations = new WeakMap<ts.SourceFile, WeakMap<Node, SourceLocation>>();

/** Where `node` is (without leading trivia), as the protocol's location. Treat it as read-only: it is shared. */
export function locationOf(node: Node): SourceLocation {
  const file = node.getSourceFile();
  const known = getOrInsert(locations, file.compilerNode, () => new WeakMap<Node, SourceLocation>());
  return getOrInsert(known, node, () => ({
    uri: fileUri(file.getFilePath()),
    range: { start: lineAndCharacter(file, node.getStart()), end: lineAndCharacter(file, node.getEnd()) },
  }));
}
