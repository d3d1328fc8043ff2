/**
 * `--diff`: the fixes as a unified diff (`git apply`/`patch -p1` read it), built straight from the edits: each group of
 * nearby edits is one hunk whose unchanged first and last lines are kept as context.
 */
import type { TextEdit } from '../../engine/index.js';
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
  let out = `--- a/${name}\n+++ b/${name}\n`;
  let shift = 0;
  for (const cluster of clusters) {
    const segmentStart = starts[cluster.from]!;
    const segmentEnd = cluster.to + 1 < starts.length ? starts[cluster.to + 1]! : text.length;
    const before = text.slice(segmentStart, segmentEnd);
    const after = applyTextEdits(before, cluster.edits.map((e) => ({ ...e, start: e.start - segmentStart, end: e.end - segmentStart })));
    const oldLines = before.replace(/\n$/, '').split('\n');
    const newLines = after.replace(/\n$/, '').split('\n');
    let head = 0;
    while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
    let tail = 0;
    while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
    const oldStart = cluster.from + 1;
    const newStart = oldStart + shift;
    out += `@@ -${oldStart},${oldLines.length} +${newLines.length === 0 ? newStart - 1 : newStart},${newLines.length} @@\n`;
    for (const line of oldLines.slice(0, head)) out += ` ${line}\n`;
    for (const line of oldLines.slice(head, oldLines.length - tail)) out += `-${line}\n`;
    for (const line of newLines.slice(head, newLines.length - tail)) out += `+${line}\n`;
    for (const line of oldLines.slice(oldLines.length - tail)) out += ` ${line}\n`;
    shift += newLines.length - oldLines.length;
  }
  return out;
}
