/**
 * Applying text edits to a file's text. Free of TypeScript and ts-morph, so the CLI can write fixes with it and
 * still answer `--help`, `--version` and usage errors without loading the compiler.
 */
import type { TextEdit } from './types.js';

/** Applies edits to one text, last first so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}
