/**
 * Geometry for a group of locks too large or too long to draw as one left-to-right band: the locks are ranked by the
 * order they are taken in, each rank is a column (split when tall), and the columns flow into lines no wider than
 * the panel, as words fill the lines of a paragraph. A chain of a hundred locks then reads left to right, line by
 * line, instead of running dozens of screens sideways. With grouping, each group is flowed inside its own frame and
 * the frames flow the same way. Pure numbers in and out; layout.ts turns them into drawn nodes and edges.
 */

export interface FlowBox {
  id: string;
  width: number;
  height: number;
  /** The frame this box belongs to, when grouping. */
  group?: string;
}

export interface FlowFrame {
  group: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FlowPosition {
  /** Top-left corner of the box. */
  x: number;
  y: number;
  /** The column's index in its frame (or the block), its left and right edges, and the bottom of its line. */
  column: number;
  columnLeft: number;
  columnRight: number;
  lineBottom: number;
}

export interface Flowed {
  width: number;
  height: number;
  /** Where each box is, and the column and line it sits in (for routing edges around other boxes). */
  positions: Map<string, FlowPosition>;
  frames: FlowFrame[];
}

/** A column holds at most this many locks; a larger rank becomes several columns side by side. */
const COLUMN_LOCKS = 10;
const ROW_GAP = 14;
/** Room between columns for the edges that cross to the next rank, and for two lanes of edges going further. */
const COLUMN_GAP = 56;
/** How far from a column an edge runs when it goes around the boxes: a third of the gap, out on the right, in on the left. */
export const LANE = Math.round(COLUMN_GAP / 3);
/** Between lines: edges that continue on a later line run along this gap. */
export const LINE_GAP = 40;
/** Space between a frame and its boxes, with room for the frame's label above the first row. */
const FRAME_INSET = 10;
const FRAME_GAP = 28;

export function flow(boxes: readonly FlowBox[], edges: readonly { source: string; target: string }[], maxWidth: number): Flowed {
  if (!boxes.some((b) => b.group !== undefined)) return flowColumns(boxes, edges, maxWidth);
  const groups = new Map<string, FlowBox[]>();
  for (const box of boxes) {
    const key = box.group ?? '';
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(box);
  }
  // Each frame flows its own boxes; the frames then flow as blocks, a new line when the next one does not fit.
  const result: Flowed = { width: 0, height: 0, positions: new Map(), frames: [] };
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  for (const [group, members] of groups) {
    const ids = new Set(members.map((m) => m.id));
    const inner = flowColumns(members, edges.filter((e) => ids.has(e.source) && ids.has(e.target)), maxWidth - 2 * FRAME_INSET);
    const width = inner.width + 2 * FRAME_INSET;
    const height = inner.height + 2 * FRAME_INSET;
    if (x > 0 && x + width > maxWidth) {
      x = 0;
      y += lineHeight + FRAME_GAP;
      lineHeight = 0;
    }
    const dx = x + FRAME_INSET;
    const dy = y + FRAME_INSET;
    for (const [id, p] of inner.positions) {
      // Columns of different frames never count as neighbours.
      result.positions.set(id, { ...p, x: p.x + dx, y: p.y + dy, column: p.column + 10_000 * result.frames.length, columnLeft: p.columnLeft + dx, columnRight: p.columnRight + dx, lineBottom: p.lineBottom + dy });
    }
    result.frames.push({ group, x, y, width, height });
    result.width = Math.max(result.width, x + width);
    result.height = Math.max(result.height, y + height);
    x += width + FRAME_GAP;
    lineHeight = Math.max(lineHeight, height);
  }
  return result;
}

/** The boxes in rank columns flowing into lines of at most `maxWidth`. */
function flowColumns(boxes: readonly FlowBox[], edges: readonly { source: string; target: string }[], maxWidth: number): Flowed {
  const columns = rankColumns(boxes, edges);
  const positions = new Map<string, FlowPosition>();
  // Each line starts one lane in, so edges entering its first column have room on the left.
  let x = LANE;
  let y = 0;
  let lineHeight = 0;
  let width = 0;
  let line: FlowPosition[] = [];
  const endLine = (): void => {
    for (const p of line) p.lineBottom = y + lineHeight;
    line = [];
  };
  columns.forEach((column, index) => {
    const columnWidth = Math.max(...column.map((b) => b.width));
    const columnHeight = column.reduce((sum, b) => sum + b.height, 0) + ROW_GAP * (column.length - 1);
    if (x > LANE && x + columnWidth + LANE > maxWidth) {
      endLine();
      x = LANE;
      y += lineHeight + LINE_GAP;
      lineHeight = 0;
    }
    let top = y;
    for (const box of column) {
      // Centred in the column, so an edge between neighbouring columns runs between box centres.
      const at = { x: x + (columnWidth - box.width) / 2, y: top, column: index, columnLeft: x, columnRight: x + columnWidth, lineBottom: 0 };
      positions.set(box.id, at);
      line.push(at);
      top += box.height + ROW_GAP;
    }
    width = Math.max(width, x + columnWidth + LANE);
    lineHeight = Math.max(lineHeight, columnHeight);
    x += columnWidth + COLUMN_GAP;
  });
  endLine();
  return { width: Math.ceil(width), height: Math.ceil(columns.length === 0 ? 0 : y + lineHeight), positions, frames: [] };
}

/**
 * The boxes as columns: a box's rank is the length of the longest chain of edges leading to it (edges that close a
 * cycle are left out of that count), each rank ordered by where its boxes' predecessors sit, so edges cross less.
 */
function rankColumns(boxes: readonly FlowBox[], edges: readonly { source: string; target: string }[]): FlowBox[][] {
  const ids = new Set(boxes.map((b) => b.id));
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  for (const { source, target } of edges) {
    if (!ids.has(source) || !ids.has(target) || source === target) continue;
    (successors.get(source) ?? successors.set(source, []).get(source)!).push(target);
    (predecessors.get(target) ?? predecessors.set(target, []).get(target)!).push(source);
  }
  const back = backEdges(boxes.map((b) => b.id), successors);
  // Longest-path ranks in topological order (Kahn's algorithm over the edges that are not back edges).
  const rank = new Map<string, number>();
  const indegree = new Map(boxes.map((b) => [b.id, 0]));
  for (const [source, targets] of successors) for (const t of targets) if (!back.has(`${source}\0${t}`)) indegree.set(t, indegree.get(t)! + 1);
  const ready = boxes.filter((b) => indegree.get(b.id) === 0).map((b) => b.id);
  for (const id of ready) rank.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const t of successors.get(id) ?? []) {
      if (back.has(`${id}\0${t}`)) continue;
      rank.set(t, Math.max(rank.get(t) ?? 0, rank.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  const ranks: FlowBox[][] = [];
  for (const box of boxes) (ranks[rank.get(box.id) ?? 0] ??= []).push(box);
  // Barycentre ordering, one sweep from the first rank: a box goes where its predecessors are, on average.
  const position = new Map<string, number>();
  const columns: FlowBox[][] = [];
  for (const members of ranks) {
    if (!members) continue;
    const centre = (box: FlowBox): number => {
      const placed = (predecessors.get(box.id) ?? []).map((p) => position.get(p)).filter((p): p is number => p !== undefined);
      return placed.length === 0 ? Number.POSITIVE_INFINITY : placed.reduce((a, b) => a + b, 0) / placed.length;
    };
    const ordered = members.map((box, index) => ({ box, index, centre: centre(box) })).sort((a, b) => a.centre - b.centre || a.index - b.index);
    ordered.forEach(({ box }, i) => position.set(box.id, i / Math.max(1, ordered.length - 1)));
    for (let i = 0; i < ordered.length; i += COLUMN_LOCKS) columns.push(ordered.slice(i, i + COLUMN_LOCKS).map((o) => o.box));
  }
  return columns;
}

/** Edges that close a cycle in a depth-first walk, keyed "source\0target": ranking ignores them. */
function backEdges(ids: readonly string[], successors: ReadonlyMap<string, readonly string[]>): Set<string> {
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  for (const start of ids) {
    if (state.has(start)) continue;
    // An explicit stack: a chain of hundreds of locks must not overflow the call stack.
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = successors.get(top.id) ?? [];
      if (top.next >= targets.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      const seen = state.get(target);
      if (seen === 'open') back.add(`${top.id}\0${target}`);
      else if (seen === undefined) {
        state.set(target, 'open');
        stack.push({ id: target, next: 0 });
      }
    }
  }
  return back;
}
