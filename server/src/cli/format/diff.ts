/**
 * `--diff`: the fixes as a unified diff (`git apply`/`patch -p1` read it), built from the edits: the lines around each
 * group of nearby edits are compared line by line (longest common subsequence), so a hunk shows only the lines that
 * change, with three unchanged lines of context around each run of changes.
 */
import type { TextEdit } from '../../engine/index.js';
import { diffLines } from '../../engine/fixes/minimal-edits.js';
import { applyTextEdits } from '../fix.js';

const CONTEXT = 3;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The unified diff of one file's edits; `name` is the path shown after `a/` and `b/`. */
export function unifiedDiff(name: string, text: string, edits: readonly TextEdit[]): string {
  if (edits.length === 0) return '';
  const starts = lineStarts(text);
  const lines = text.split('\n');
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  // Clusters of edits whose changed lines (plus context) touch, as [first line, last line] of the original.
  const clusters: { from: number; to: number; edits: TextEdit[] }[] = [];
  for (const edit of sorted) {
    const from = Math.max(0, lineOf(starts, edit.start) - CONTEXT);
    const to = Math.min(lines.length - 1, lineOf(starts, Math.max(edit.start, edit.end - 1)) + CONTEXT);
    const last = clusters.at(-1);
    if (last && from <= last.to + 1) {
      last.to = Math.max(last.to, to);
      last.edits.push(edit);
    } else clusters.push({ from, to, edits: [edit] });
  }
  let out = '';
  let shift = 0;
  for (const cluster of clusters) {
    const segmentStart = starts[cluster.from]!;
    const segmentEnd = cluster.to + 1 < starts.length ? starts[cluster.to + 1]! : text.length;
    const before = text.slice(segmentStart, segmentEnd);
    const after = applyTextEdits(before, cluster.edits.map((e) => ({ ...e, start: e.start - segmentStart, end: e.end - segmentStart })));
    const ops = diffLines(before.replace(/\n$/, '').split('\n'), after.replace(/\n$/, '').split('\n'));
    // Hunks: each run of changes with up to CONTEXT kept lines either side, merged where their contexts meet.
    const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
    const hunks: { from: number; to: number }[] = [];
    for (const index of changed) {
      const from = Math.max(0, index - CONTEXT);
      const to = Math.min(ops.length - 1, index + CONTEXT);
      const last = hunks.at(-1);
      if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
      else hunks.push({ from, to });
    }
    let oldLine = cluster.from + 1;
    let consumed = 0;
    for (const hunk of hunks) {
      for (const op of ops.slice(consumed, hunk.from)) if (op.kind !== '+') oldLine++;
      const body = ops.slice(hunk.from, hunk.to + 1);
      const oldCount = body.filter((op) => op.kind !== '+').length;
      const newCount = body.filter((op) => op.kind !== '-').length;
      const newStart = oldLine + shift;
      out += `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@\n`;
      for (const op of body) out += `${op.kind}${op.line}\n`;
      oldLine += oldCount;
      shift += newCount - oldCount;
      consumed = hunk.to + 1;
    }
  }
  return out === '' ? '' : `--- a/${name}\n+++ b/${name}\n${out}`;
}
