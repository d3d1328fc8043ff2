/**
 * Places a view's sections on one page in CSS pixels at zoom 1: each cycle on its own row, drawn larger as a ring;
 * the other connected groups of locks laid out by dagre in ranks and packed into rows, except a group too large or
 * too long for one band, whose rank columns flow into lines as wide as the panel (flow.ts); the isolated locks in a
 * grid. Sizes are fixed in pixels and never scaled to fit: a big graph makes a page that the panel scrolls, mostly
 * downwards, so a label is always as readable as the font sizes below.
 */
import dagre from '@dagrejs/dagre';
import type { SourceLocation } from '../protocol/index.js';
import type { GraphEdge, GraphNode } from './elements.js';
import type { GroupBy, Section, View } from './view.js';
import { baseName } from './elements.js';
import { flow, LANE, LINE_GAP } from './flow.js';

/** Font sizes in CSS pixels at zoom 1. The panel never zooms below MIN_ZOOM, so no text renders under 11 px (the edge labels, the smallest, are 11 px at zoom 1). */
export const FONT = { cycleNode: 15, node: 13, edge: 11, title: 13, group: 11 } as const;
export const MIN_ZOOM = 1;

/** Measures a label's width in pixels at a font size; the browser passes a canvas measurement, tests an estimate. */
export type Measure = (text: string, fontPx: number) => number;
export const estimateWidth: Measure = (text, fontPx) => Math.ceil(text.length * fontPx * 0.6);

export interface LaidNode {
  /** Unique in the layout: `${section}/${id}`. */
  key: string;
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  fontPx: number;
  label: string;
  classes: string[];
  tooltip: string;
  location?: SourceLocation;
}

export interface LaidEdge {
  key: string;
  id: string;
  source: string;
  target: string;
  points: { x: number; y: number }[];
  label: string;
  labelX: number;
  labelY: number;
  classes: string[];
  tooltip: string;
  location?: SourceLocation;
}

export interface LaidBox {
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidTitle {
  text: string;
  x: number;
  y: number;
  kind: Section['kind'];
}

export interface Layout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
  groups: LaidBox[];
  titles: LaidTitle[];
  /** Things the reader should know about this drawing, e.g. that grouping was not possible for a part of it. */
  notices: string[];
}

export interface LayoutOptions {
  groupBy: GroupBy;
  /** The width to pack rows into, normally the panel's; a single block wider than this makes the page wider. */
  maxWidth: number;
  measure?: Measure;
}

const MARGIN = 16;
const GAP = 28;
const TITLE_HEIGHT = 26;
const NODE_PADDING_X = 14;
/** A connected group with more edges than this is drawn without edge labels. */
const MAX_LABELLED_EDGES = 40;

/** One laid-out block before it is placed on the page: coordinates relative to its own top-left. */
interface Block {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
  groups: LaidBox[];
}

export function layoutView(view: View, options: LayoutOptions): Layout {
  const measure = options.measure ?? estimateWidth;
  const page: Layout = { width: 0, height: 0, nodes: [], edges: [], groups: [], titles: [], notices: [] };
  let y = MARGIN;
  let rowX = MARGIN;
  let rowHeight = 0;

  const place = (block: Block, x: number, top: number): void => {
    page.nodes.push(...block.nodes.map((n) => ({ ...n, x: n.x + x, y: n.y + top })));
    page.edges.push(...block.edges.map((e) => ({
      ...e,
      points: e.points.map((p) => ({ x: p.x + x, y: p.y + top })),
      labelX: e.labelX + x,
      labelY: e.labelY + top,
    })));
    page.groups.push(...block.groups.map((g) => ({ ...g, x: g.x + x, y: g.y + top })));
    page.width = Math.max(page.width, x + block.width + MARGIN);
  };
  const endRow = (): void => {
    if (rowHeight > 0) y += rowHeight + GAP;
    rowX = MARGIN;
    rowHeight = 0;
  };
  const title = (section: Section): void => {
    if (section.title === '') return;
    endRow();
    page.titles.push({ text: section.title, x: MARGIN, y: y + FONT.title, kind: section.kind });
    // A long cycle's heading may be wider than its drawing; the page grows to show it whole.
    page.width = Math.max(page.width, MARGIN + measure(section.title, FONT.title) * 1.1 + MARGIN);
    y += TITLE_HEIGHT;
  };

  for (const section of view.sections) {
    title(section);
    const blocks = section.kind === 'isolated'
      ? [...gridBlocks(section, options.groupBy, options.maxWidth - 2 * MARGIN, measure)]
      : section.kind === 'cycle' ? [ringBlock(section, measure)] : [edgesBlock(section, options.groupBy, options.maxWidth - 2 * MARGIN, measure, page)];
    for (const block of blocks) {
      // A cycle gets a row of its own; other blocks share a row while they fit in the panel's width.
      if (section.kind === 'cycle' || (rowX > MARGIN && rowX + block.width > options.maxWidth - MARGIN)) endRow();
      place(block, rowX, y);
      rowX += block.width + GAP;
      rowHeight = Math.max(rowHeight, block.height);
      if (section.kind === 'cycle') endRow();
    }
  }
  endRow();
  page.height = Math.max(y - GAP + MARGIN, 0);
  page.width = Math.max(page.width, 0);
  return page;
}

/**
 * A connected group of locks: in ranks from left to right when it fits the panel's width; otherwise (and always for a
 * tangle of many edges, which dagre would also take seconds over) as rank columns flowing into lines of that width.
 */
function edgesBlock(section: Section, groupBy: GroupBy, maxWidth: number, measure: Measure, page: Layout): Block {
  if (section.edges.length > MAX_LABELLED_EDGES) return flowBlock(section, groupBy, maxWidth, measure, false);
  const ranked = rankedOrFlat(section, groupBy, measure, page);
  return ranked.width <= maxWidth ? ranked : flowBlock(section, groupBy, maxWidth, measure, true);
}

/** A section laid out by flow.ts: straight edges between box borders, labelled only when asked. */
function flowBlock(section: Section, groupBy: GroupBy, maxWidth: number, measure: Measure, labelled: boolean): Block {
  const boxes = new Map(section.nodes.map((node) => [node.data.id, nodeBox(section, node, measure)]));
  const flowed = flow(
    section.nodes.map((node) => {
      const group = groupOf(node, groupBy);
      return { id: node.data.id, ...boxes.get(node.data.id)!, ...(group === undefined ? {} : { group }) };
    }),
    section.edges.map((e) => ({ source: e.data.source, target: e.data.target })),
    Math.max(maxWidth, 200),
  );
  const nodes = section.nodes.map((node) => {
    const at = flowed.positions.get(node.data.id)!;
    return laidNode(section, node, at.x, at.y, boxes.get(node.data.id)!);
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = section.edges.map((edge): LaidEdge => {
    const from = byId.get(edge.data.source)!;
    const to = byId.get(edge.data.target)!;
    if (from === to) return selfLoop(section, edge, from);
    const a = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const b = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
    const src = flowed.positions.get(edge.data.source)!;
    const dst = flowed.positions.get(edge.data.target)!;
    const gap = src.lineBottom + LINE_GAP / 2;
    // An edge to the next column runs straight across the gap between them. Any other edge forward goes around the
    // boxes: out of its box's right side into the lane beside its column, down to the gap under its line, along it,
    // and up or down the lane left of the target's column into the target's left side, rather than cutting across
    // the boxes between them.
    const around = !(dst.column === src.column + 1 && dst.lineBottom === src.lineBottom) && (to.y > gap || dst.columnLeft > src.columnRight);
    const start = around ? { x: from.x + from.width, y: a.y } : clip(from, a, b);
    const end = around ? { x: to.x, y: b.y } : clip(to, b, a);
    const out = src.columnRight + LANE;
    const into = dst.columnLeft - LANE;
    const points = around ? [start, { x: out, y: a.y }, { x: out, y: gap }, { x: into, y: gap }, { x: into, y: b.y }, end] : [start, end];
    return {
      key: `${section.key}/${edge.data.id}`,
      id: edge.data.id,
      source: `${section.key}/${edge.data.source}`,
      target: `${section.key}/${edge.data.target}`,
      points,
      label: labelled ? edge.data.label : '',
      labelX: around ? (out + into) / 2 : (start.x + end.x) / 2,
      labelY: around ? gap : (start.y + end.y) / 2,
      classes: edge.classes,
      tooltip: edge.data.tooltip,
      ...(edge.data.location ? { location: edge.data.location } : {}),
    };
  });
  const groups = flowed.frames.map((f) => ({ label: groupLabel(f.group, groupBy), x: f.x, y: f.y, width: f.width, height: f.height }));
  // A self-loop is drawn above its box; the block starts low enough that it stays on the page.
  const top = Math.min(0, ...edges.flatMap((e) => e.points.map((p) => p.y)), ...edges.filter((e) => e.label).map((e) => e.labelY - FONT.edge));
  if (top < 0) {
    for (const n of nodes) n.y -= top;
    for (const e of edges) {
      e.points = e.points.map((p) => ({ x: p.x, y: p.y - top }));
      e.labelY -= top;
    }
    for (const g of groups) g.y -= top;
  }
  return { width: flowed.width, height: flowed.height - top, nodes, edges, groups };
}

/**
 * dagre's compound layout fails on some large graphs (an edge end inside its own node); the block is then laid out
 * without frames and the page says so, rather than showing nothing.
 */
function rankedOrFlat(section: Section, groupBy: GroupBy, measure: Measure, page: Layout): Block {
  if (groupBy === 'none') return rankedBlock(section, groupBy, measure);
  try {
    return rankedBlock(section, groupBy, measure);
  } catch {
    page.notices.push(`${section.title || 'A group of locks'}: shown without ${groupBy} frames (the layout could not place them)`);
    return rankedBlock(section, 'none', measure);
  }
}

function nodeBox(section: Section, node: GraphNode, measure: Measure): { fontPx: number; width: number; height: number } {
  const fontPx = section.kind === 'cycle' ? FONT.cycleNode : FONT.node;
  return { fontPx, width: Math.max(measure(node.data.label, fontPx) + 2 * NODE_PADDING_X, 48), height: Math.round(fontPx * 2.3) };
}

function groupOf(node: GraphNode, groupBy: GroupBy): string | undefined {
  if (groupBy === 'file') return node.data.files?.[0] ?? '(no file)';
  if (groupBy === 'class') return node.data.owner ?? '(module level)';
  return undefined;
}

function groupLabel(key: string, groupBy: GroupBy): string {
  return groupBy === 'file' && key.includes('/') ? baseName(key) : key;
}

/** A section with edges, laid out by dagre in ranks from left to right (the order locks are taken in). */
function rankedBlock(section: Section, groupBy: GroupBy, measure: Measure): Block {
  const g = new dagre.graphlib.Graph({ compound: groupBy !== 'none', multigraph: true });
  // A big tangle has many long edges, each a column of bends that dagre spaces like nodes: tighter spacing there
  // keeps its locks closer together.
  const big = section.edges.length > MAX_LABELLED_EDGES;
  g.setGraph({ rankdir: 'LR', nodesep: big ? 14 : 22, ranksep: 70, edgesep: big ? 6 : 14, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<string, ReturnType<typeof nodeBox>>();
  const groups = new Map<string, string>();
  for (const node of section.nodes) {
    const box = nodeBox(section, node, measure);
    boxes.set(node.data.id, box);
    g.setNode(node.data.id, { width: box.width, height: box.height });
    const group = groupOf(node, groupBy);
    if (group !== undefined) {
      const key = `group:${group}`;
      if (!groups.has(key)) {
        groups.set(key, groupLabel(group, groupBy));
        g.setNode(key, {});
      }
      g.setParent(node.data.id, key);
    }
  }
  // In a big tangle, a site label on every edge is more clutter than help and each one widens the ranks; the
  // labels stay on cycles and small groups, and every edge keeps its site in its tooltip and on click.
  const labelled = !big;
  for (const edge of section.edges) {
    const label = labelled ? edge.data.label : '';
    const width = label ? measure(label, FONT.edge) + 6 : 0;
    g.setEdge(edge.data.source, edge.data.target, { width, height: label ? FONT.edge + 6 : 0, labelpos: 'c' }, edge.data.id);
  }
  dagre.layout(g);

  const nodes: LaidNode[] = section.nodes.map((node) => {
    const laid = g.node(node.data.id) as { x: number; y: number; width: number; height: number };
    const box = boxes.get(node.data.id)!;
    return laidNode(section, node, laid.x - box.width / 2, laid.y - box.height / 2, box);
  });
  const edges: LaidEdge[] = section.edges.map((edge) => {
    const laid = g.edge({ v: edge.data.source, w: edge.data.target, name: edge.data.id }) as { points?: { x: number; y: number }[]; x?: number; y?: number };
    const points = laid.points ?? [];
    const mid = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return {
      key: `${section.key}/${edge.data.id}`,
      id: edge.data.id,
      source: `${section.key}/${edge.data.source}`,
      target: `${section.key}/${edge.data.target}`,
      points: points.map((p) => ({ x: p.x, y: p.y })),
      label: labelled ? edge.data.label : '',
      labelX: laid.x ?? mid.x,
      labelY: laid.y ?? mid.y,
      classes: edge.classes,
      tooltip: edge.data.tooltip,
      ...(edge.data.location ? { location: edge.data.location } : {}),
    };
  });
  const boxesOut: LaidBox[] = [...groups].map(([key, label]) => {
    const laid = g.node(key) as { x: number; y: number; width: number; height: number };
    return { label, x: laid.x - laid.width / 2, y: laid.y - laid.height / 2, width: laid.width, height: laid.height };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges, groups: boxesOut };
}

/**
 * A cycle drawn as a ring: its locks around an ellipse in cycle order, each edge from one lock to the next. A ring
 * reads as "round and round" at a glance, and stays about as wide as it is high, where ranks would stretch a
 * cycle into a row with one edge running all the way back.
 */
function ringBlock(section: Section, measure: Measure): Block {
  const count = section.nodes.length;
  const boxes = section.nodes.map((node) => nodeBox(section, node, measure));
  const widest = Math.max(...boxes.map((b) => b.width));
  const height = boxes[0]?.height ?? 0;
  // Two locks side by side; more around an ellipse, grown until no two boxes come closer than the gap. The gap
  // leaves room for an edge's label between the boxes it joins, which would otherwise hide behind them.
  const widestLabel = Math.max(0, ...section.edges.map((e) => measure(e.data.label, FONT.edge)));
  const gap = Math.max(36, widestLabel + 24);
  let radius = count <= 2 ? (widest + Math.max(110, widestLabel + 30)) / 2 : (widest + gap) / (2 * Math.sin(Math.PI / count));
  let centres: { x: number; y: number }[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const rx = radius;
    const ry = count <= 2 ? 0 : Math.max(radius * 0.6, height * 1.6);
    centres = boxes.map((_, i) => {
      const angle = count <= 2 ? Math.PI * (1 - i) : -Math.PI / 2 - Math.PI / count + (2 * Math.PI * i) / count;
      return { x: rx * Math.cos(angle), y: ry * Math.sin(angle) };
    });
    const clash = centres.some((a, i) => centres.some((b, j) => j > i &&
      Math.abs(a.x - b.x) < (boxes[i]!.width + boxes[j]!.width) / 2 + gap / 2 && Math.abs(a.y - b.y) < height + gap / 2));
    if (!clash) break;
    radius *= 1.12;
  }
  const pad = 12;
  const labelRoom = FONT.edge + 12;
  const minX = Math.min(...centres.map((c, i) => c.x - boxes[i]!.width / 2)) - pad;
  const minY = Math.min(...centres.map((c) => c.y - height / 2)) - pad - labelRoom;
  const nodes = section.nodes.map((node, i) =>
    laidNode(section, node, centres[i]!.x - boxes[i]!.width / 2 - minX, centres[i]!.y - height / 2 - minY, boxes[i]!));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: LaidEdge[] = section.edges.map((edge) => {
    const from = byId.get(edge.data.source)!;
    const to = byId.get(edge.data.target)!;
    if (from === to) return selfLoop(section, edge, from);
    const a = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const b = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
    // Both edges of a two-lock cycle join the same boxes: each is moved off the centre line to its own side.
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const normal = { x: (a.y - b.y) / length, y: (b.x - a.x) / length };
    const offset = count <= 2 ? 9 : 0;
    const start = clip(from, { x: a.x + normal.x * offset, y: a.y + normal.y * offset }, { x: b.x + normal.x * offset, y: b.y + normal.y * offset });
    const end = clip(to, { x: b.x + normal.x * offset, y: b.y + normal.y * offset }, { x: a.x + normal.x * offset, y: a.y + normal.y * offset });
    const side = count <= 2 ? 1 : -1;
    return {
      key: `${section.key}/${edge.data.id}`,
      id: edge.data.id,
      source: `${section.key}/${edge.data.source}`,
      target: `${section.key}/${edge.data.target}`,
      points: [start, end],
      label: edge.data.label,
      // The label sits beside its edge's middle, on the outside of the ring (or of the pair).
      labelX: (start.x + end.x) / 2 + normal.x * (FONT.edge + 2) * side,
      labelY: (start.y + end.y) / 2 + normal.y * (FONT.edge + 2) * side,
      classes: edge.classes,
      tooltip: edge.data.tooltip,
      ...(edge.data.location ? { location: edge.data.location } : {}),
    };
  });
  const labelWidths = section.edges.map((e) => measure(e.data.label, FONT.edge));
  const right = Math.max(...nodes.map((n) => n.x + n.width), ...edges.map((e, i) => e.labelX + labelWidths[i]! / 2)) + pad;
  const bottom = Math.max(...nodes.map((n) => n.y + n.height), ...edges.map((e) => e.labelY + FONT.edge)) + pad;
  // Labels on the outside may reach left of or above the boxes; shift everything so nothing has a negative coordinate.
  const shiftX = Math.max(0, ...edges.map((e, i) => labelWidths[i]! / 2 - e.labelX + 2));
  const shiftY = Math.max(0, ...edges.map((e) => FONT.edge - e.labelY + 2));
  for (const n of nodes) {
    n.x += shiftX;
    n.y += shiftY;
  }
  for (const e of edges) {
    e.points = e.points.map((p) => ({ x: p.x + shiftX, y: p.y + shiftY }));
    e.labelX += shiftX;
    e.labelY += shiftY;
  }
  return { width: Math.ceil(right + shiftX), height: Math.ceil(bottom + shiftY), nodes, edges, groups: [] };
}

/** A lock taken while holding itself (two elements of one array, say): a loop over the top of its box. */
function selfLoop(section: Section, edge: GraphEdge, box: LaidNode): LaidEdge {
  const left = box.x + box.width * 0.3;
  const right = box.x + box.width * 0.7;
  const top = box.y - 14;
  return {
    key: `${section.key}/${edge.data.id}`,
    id: edge.data.id,
    source: `${section.key}/${edge.data.source}`,
    target: `${section.key}/${edge.data.target}`,
    points: [{ x: right, y: box.y }, { x: right, y: top }, { x: left, y: top }, { x: left, y: box.y }],
    label: edge.data.label,
    labelX: box.x + box.width / 2,
    labelY: top - FONT.edge / 2 - 2,
    classes: edge.classes,
    tooltip: edge.data.tooltip,
    ...(edge.data.location ? { location: edge.data.location } : {}),
  };
}

/** Where the segment from `inside` (a box's centre line) towards `outside` leaves the box. */
function clip(box: LaidNode, inside: { x: number; y: number }, outside: { x: number; y: number }): { x: number; y: number } {
  const dx = outside.x - inside.x;
  const dy = outside.y - inside.y;
  const tx = dx === 0 ? Infinity : (dx > 0 ? box.x + box.width - inside.x : box.x - inside.x) / dx;
  const ty = dy === 0 ? Infinity : (dy > 0 ? box.y + box.height - inside.y : box.y - inside.y) / dy;
  const t = Math.min(tx, ty);


  return { x: inside.x + dx * t, y: inside.y + dy * t };
}

/** Locks with no edges: rows of boxes, one block per group when grouping so each group gets its frame. */
function gridBlocks(section: Section, groupBy: GroupBy, maxWidth: number, measure: Measure): Block[] {
  const byGroup = new Map<string, GraphNode[]>();
  for (const node of section.nodes) {
    const key = groupOf(node, groupBy) ?? '';
    (byGroup.get(key) ?? byGroup.set(key, []).get(key)!).push(node);
  }
  return [...byGroup].map(([key, members]) => {
    const inset = groupBy === 'none' ? 0 : 10;
    const nodes: LaidNode[] = [];
    let x = inset;
    let y = inset;
    let width = 0;
    for (const node of members) {
      const box = nodeBox(section, node, measure);
      if (x > inset && x + box.width > maxWidth - inset) {
        x = inset;
        y += box.height + 12;
      }
      nodes.push(laidNode(section, node, x, y, box));
      x += box.width + 12;
      width = Math.max(width, x - 12 + inset);
    }
    const height = y + (nodes[0]?.height ?? 0) + inset;
    const groups = groupBy === 'none' ? [] : [{ label: groupLabel(key, groupBy), x: 0, y: 0, width, height }];
    return { width, height, nodes, edges: [], groups };
  });
}

function laidNode(section: Section, node: GraphNode, x: number, y: number, box: ReturnType<typeof nodeBox>): LaidNode {
  return {
    key: `${section.key}/${node.data.id}`,
    id: node.data.id,
    x,
    y,
    width: box.width,
    height: box.height,
    fontPx: box.fontPx,
    label: node.data.label,
    classes: node.classes,
    tooltip: node.data.tooltip,
    ...(node.data.location ? { location: node.data.location } : {}),
  };
}
