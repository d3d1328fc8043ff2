/**
 * `--fix` and `--diff`: pick one fix per finding (its first safe fix that passes the engine's type-check gate, or
 * with `--unsafe-fixes` its first fix of either safety that does), keep those that do not touch each other, check
 * them together, and write them to disk. The CLI re-analyses and repeats, so fixes skipped for overlapping (or made
 * stale by another) land next pass.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { applyEdits as applyTextEdits } from '../engine/text-edits.js';
import type { Finding, Fix, TextEdit } from '../engine/index.js';

export { applyTextEdits };

/** Two edits conflict when their ranges intersect, or both insert at one offset (their order would be a guess). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && ((a.start < b.end && b.start < a.end) || a.start === b.start);
}

export interface ChosenFixes {
  /** How many findings these edits fix. */
  fixes: number;
  byFile: Map<string, TextEdit[]>;
}

/** The type-check gate as the CLI uses it: whether a set of edits (one fix, or several together) adds no type error. */
export type FixCheck = (edits: readonly TextEdit[]) => boolean;

/** The fixes `--fix` may apply to one finding, in the order it tries them: safe ones first, then (with `unsafe`) the rest. */
export function fixCandidates(finding: Finding, unsafe = false): Fix[] {
  const usable = finding.fixes.filter((f) => f.edits.length > 0);
  return [...usable.filter((f) => f.safety === 'safe'), ...(unsafe ? usable.filter((f) => f.safety !== 'safe') : [])];
}

/**
 * The edits of every finding's first candidate that passes `check` and conflicts with no fix chosen before it,
 * grouped by file. The chosen fixes are then checked together, since two fixes that type-check alone may not (each
 * adding the same import); when they fail, only the fixes that pass one by one on top of each other are kept.
 */
export function chooseFixes(findings: readonly Finding[], unsafe = false, check: FixCheck = () => true): ChosenFixes {
  const chosen: Fix[] = [];
  for (const finding of findings) {
    const fix = fixCandidates(finding, unsafe).find((candidate) => !conflicts(candidate, chosen) && check(candidate.edits));
    if (fix !== undefined) chosen.push(fix);
  }
  let kept = chosen;
  if (chosen.length > 1 && !check(chosen.flatMap((f) => f.edits))) {
    kept = [];
    for (const fix of chosen) if (check([...kept, fix].flatMap((f) => f.edits))) kept.push(fix);
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of kept.flatMap((f) => f.edits)) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return { fixes: kept.length, byFile };
}

function conflicts(fix: Fix, chosen: readonly Fix[]): boolean {
  return fix.edits.some((edit) => chosen.some((other) => other.edits.some((taken) => overlaps(edit, taken))));
}

/** Writes the chosen edits to their files. */
export function writeFixes(byFile: ReadonlyMap<string, readonly TextEdit[]>): void {
  for (const [file, edits] of byFile) writeFileSync(file, applyTextEdits(readFileSync(file, 'utf8'), edits));
}
