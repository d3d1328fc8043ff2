/**
 * `--fix`: picks one fix per finding (the first safe one, or with `--unsafe-fixes` the first of any safety), keeps
 * those that do not touch each other and writes them to disk. The CLI re-analyses and repeats, so fixes skipped for
 * overlapping (or made stale by another) land next pass.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Finding, Fix, TextEdit } from '../engine/index.js';

/** Two edits conflict when their ranges intersect, or both insert at one offset (their order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && ((a.start < b.end && b.start < a.end) || a.start === b.start);
}

export interface ChosenFixes {
  /** How many findings these edits fix. */
  fixes: number;
  byFile: Map<string, TextEdit[]>;
}

/** The fix `--fix` applies to one finding: its first safe fix; with `unsafe`, its first fix of either safety. */
export function fixToApply(finding: Finding, unsafe = false): Fix | undefined {
  const usable = finding.fixes.filter((f) => f.edits.length > 0);
  return usable.find((f) => f.safety === 'safe') ?? (unsafe ? usable[0] : undefined);
}

/** The edits of every applicable fix that conflicts with no fix chosen before it, grouped by file. */
export function chooseFixes(findings: readonly Finding[], unsafe = false): ChosenFixes {
  const chosen: TextEdit[] = [];
  let fixes = 0;
  for (const finding of findings) {
    const fix = fixToApply(finding, unsafe);
    if (fix === undefined) continue;
    if (fix.edits.some((edit) => chosen.some((other) => overlaps(edit, other)))) continue;
    chosen.push(...fix.edits);
    fixes += 1;
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of chosen) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return { fixes, byFile };
}

/** Applies non-overlapping edits to one text, last first so earlier offsets stay valid. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** Writes the chosen edits to their files. */
export function writeFixes(byFile: ReadonlyMap<string, readonly TextEdit[]>): void {
  for (const [file, edits] of byFile) writeFileSync(file, applyTextEdits(readFileSync(file, 'utf8'), edits));
}
