/**
 * Every fix's edits reduced to what they change. Builders replace whole regions (a statement, a block re-emitted one
 * level deeper); here each replacement shrinks to the runs of lines whose text differs (compared line by line,
 * longest common subsequence first), so an editor's edit, the JSON and SARIF edits and a `--diff` touch only those
 * lines and leave the formatting and comments of the rest as they were.
 */
import type { Finding, Fix, TextEdit } from '../types.js';

/** Above this many cells of the line comparison, the lines between the common head and tail all count as changed. */
const MAX_CELLS = 4_000_000;

/** `findings` with every fix's edits minimal; `textOf` is the analysed text of a file. */
export function minimizeFixes(findings: readonly Finding[], textOf: (file: string) => string | undefined): Finding[] {
  return findings.map((finding) => (finding.fixes.length === 0 ? finding : { ...finding, fixes: finding.fixes.map((fix) => minimizeFix(fix, textOf)) }));
}

function minimizeFix(fix: Fix, textOf: (file: string) => string | undefined): Fix {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    const text = textOf(edit.file);
    if (text === undefined) return fix;
    edits.push(...minimizeEdit(edit, text));
  }
  // Two edits at one offset would apply in an order the offsets cannot tell: keep the fix as it was built.
  const starts = edits.map((e) => `${e.file}\0${e.start}`);
  if (new Set(starts).size !== starts.length) return fix;
  return edits.length === fix.edits.length && edits.every((e, i) => e === fix.edits[i]) ? fix : { ...fix, edits };
}

/** One replacement as the smallest edits that give the same text. An edit that changes nothing is kept (fixes use those to overlap on purpose). */
export function minimizeEdit(edit: TextEdit, text: string): TextEdit[] {
  const old = text.slice(edit.start, edit.end);
  if (old === edit.newText) return [edit];
  // Common head and tail, by characters, then widened back to whole lines inside the edit.
  let head = 0;
  while (head < old.length && head < edit.newText.length && old[head] === edit.newText[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < edit.newText.length - head && old[old.length - 1 - tail] === edit.newText[edit.newText.length - 1 - tail]) tail++;
  const lineHead = old.lastIndexOf('\n', head - 1) + 1;
  const nextBreak = old.indexOf('\n', old.length - tail);
  const lineTail = nextBreak < 0 ? 0 : old.length - nextBreak;
  const start = edit.start + lineHead;
  const oldRegion = old.slice(lineHead, old.length - lineTail);
  const newRegion = edit.newText.slice(lineHead, edit.newText.length - lineTail);
  const oldPieces = pieces(oldRegion);
  const newPieces = pieces(newRegion);
  if (oldPieces.length <= 1 || newPieces.length <= 1) {
    return [{ file: edit.file, start: edit.start + head, end: edit.end - tail, newText: edit.newText.slice(head, edit.newText.length - tail) }];
  }
  const runs = changedRuns(oldPieces, newPieces);
  const out: TextEdit[] = [];
  for (const run of runs) {
    const from = start + oldPieces.slice(0, run.oldFrom).join('').length;
    const to = from + oldPieces.slice(run.oldFrom, run.oldTo).join('').length;
    const newText = newPieces.slice(run.newFrom, run.newTo).join('');
    out.push(...trimmed({ file: edit.file, start: from, end: to, newText }, text));
  }
  return out;
}

/** A replacement without the characters its start and end share with what it replaces. */
function trimmed(edit: TextEdit, text: string): TextEdit[] {
  const old = text.slice(edit.start, edit.end);
  let head = 0;
  while (head < old.length && head < edit.newText.length && old[head] === edit.newText[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < edit.newText.length - head && old[old.length - 1 - tail] === edit.newText[edit.newText.length - 1 - tail]) tail++;
  if (head === old.length && head === edit.newText.length) return [];
  return [{ file: edit.file, start: edit.start + head, end: edit.end - tail, newText: edit.newText.slice(head, edit.newText.length - tail) }];
}

/** Lines with their line breaks, so joining pieces gives the text back exactly. */
function pieces(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  return out.length > 0 && out.at(-1) === '' ? out.slice(0, -1) : out;
}

/** The runs of differing lines between `a` and `b`, as index ranges of each. */
function changedRuns(a: readonly string[], b: readonly string[]): { oldFrom: number; oldTo: number; newFrom: number; newTo: number }[] {
  const runs: { oldFrom: number; oldTo: number; newFrom: number; newTo: number }[] = [];
  let i = 0;
  let j = 0;
  let open: { oldFrom: number; oldTo: number; newFrom: number; newTo: number } | undefined;
  for (const op of diffLines(a, b)) {
    if (op.kind === ' ') {
      if (open) runs.push(open);
      open = undefined;
      i++;
      j++;
      continue;
    }
    open ??= { oldFrom: i, oldTo: i, newFrom: j, newTo: j };
    if (op.kind === '-') i++;
    else j++;
    open.oldTo = i;
    open.newTo = j;
  }
  if (open) runs.push(open);
  return runs;
}

/** One line of a comparison: kept, removed or added. */
export type LineOp = { kind: ' ' | '-' | '+'; line: string };

/**
 * The lines of `before` and `after` as kept, removed and added lines: the common head and tail, then a longest
 * common subsequence of the rest (removed lines before added ones, as diff prints a replacement); past MAX_CELLS the
 * rest is all removed, then all added.
 */
export function diffLines(before: readonly string[], after: readonly string[]): LineOp[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const middle: LineOp[] = [];
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    middle.push(...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line })));
  } else {
    // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
    const width = b.length + 1;
    const lengths = new Uint32Array((a.length + 1) * width);
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push({ kind: ' ', line: a[i]! });
        i++;
        j++;
      } else if (i < a.length && (j === b.length || lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)) {
        middle.push({ kind: '-', line: a[i]! });
        i++;
      } else {
        middle.push({ kind: '+', line: b[j]! });
        j++;
      }
    }
  }
  return [
    ...before.slice(0, head).map((line) => ({ kind: ' ' as const, line })),
    ...middle,
    ...before.slice(before.length - tail).map((line) => ({ kind: ' ' as const, line })),
  ];
}
