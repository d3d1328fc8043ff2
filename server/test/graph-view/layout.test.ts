/**
 * The lock graph's layout at the sizes the issue names, without a browser: 200 locks, 300 edges and 10 cycles;
 * 34 mostly isolated locks with 6 cycles; a live graph of 16 threads and 30 locks. Boxes never overlap, every
 * label fits its box at a readable size, each cycle has a row of its own above everything else, and grouping
 * frames hold their locks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FONT, layoutView, MIN_ZOOM, type LaidNode, type Layout } from '../../src/graph-view/layout.js';
import { liveModel } from '../../src/graph-view/live-model.js';
import { staticModel } from '../../src/graph-view/static-model.js';
import { buildView, defaultViewOptions, type ViewOptions } from '../../src/graph-view/view.js';
import type { GraphModel } from '../../src/graph-view/elements.js';
import { liveGraph, staticGraph } from './generate.js';

const WIDTH = 1100;

function laidOut(model: GraphModel, options: Partial<ViewOptions> = {}): Layout {
  const view = buildView(model, { ...defaultViewOptions, ...options });
  return layoutView(view, { groupBy: options.groupBy ?? 'none', maxWidth: WIDTH });
}

function overlapping(nodes: readonly LaidNode[]): [string, string] | undefined {
  const sorted = [...nodes].sort((a, b) => a.x - b.x);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < sorted[i]!.x + sorted[i]!.width; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.y < b.y + b.height && b.y < a.y + a.height) return [a.key, b.key];
    }
  }
  return undefined;
}

function assertReadable(layout: Layout): void {
  assert.equal(overlapping(layout.nodes), undefined, 'no two boxes overlap');
  for (const node of layout.nodes) {
    assert.ok(node.fontPx * MIN_ZOOM >= 11, `${node.label} at ${node.fontPx}px`);
    assert.ok(node.width >= Math.ceil(node.label.length * node.fontPx * 0.6), `${node.label} fits its box`);
    assert.ok(node.x >= 0 && node.y >= 0 && node.x + node.width <= layout.width && node.y + node.height <= layout.height, `${node.label} is on the page`);
  }
  assert.ok(FONT.edge * MIN_ZOOM >= 11);
}

/** Each cycle section's nodes sit in a band of rows that no other section's nodes enter, above all non-cycle nodes. */
function assertCyclesFirst(layout: Layout, cycles: number): void {
  const bands = new Map<string, { top: number; bottom: number }>();
  for (const node of layout.nodes) {
    const section = node.key.slice(0, node.key.indexOf('/'));
    const band = bands.get(section) ?? { top: Infinity, bottom: -Infinity };
    band.top = Math.min(band.top, node.y);
    band.bottom = Math.max(band.bottom, node.y + node.height);
    bands.set(section, band);
  }
  const cycleBands = [...bands].filter(([key]) => key.startsWith('cycle'));
  assert.equal(cycleBands.length, cycles);
  for (const [key, band] of cycleBands) {
    for (const [other, b] of bands) {
      if (other === key) continue;
      assert.ok(b.bottom <= band.top || b.top >= band.bottom, `${other} shares rows with ${key}`);
      if (!other.startsWith('cycle')) assert.ok(b.top >= band.bottom, `${other} comes after ${key}`);
    }
  }
}

test('200 locks, 300 edges, 10 cycles: every cycle on its own row first, nothing overlaps, everything readable', () => {
  const graph = staticGraph(200, 300, 10, 40);
  const model = staticModel(graph);
  for (const groupBy of ['none', 'class'] as const) {
    const layout = laidOut(model, { groupBy });
    assertReadable(layout);
    assertCyclesFirst(layout, 10);
    assert.equal(layout.titles.filter((t) => t.kind === 'cycle').length, 10);
    assert.equal(layout.edges.length, 300);
  }
});

test('34 locks, 14 edges, 6 cycles: the isolated locks stay behind a count, then lay out in rows', () => {
  const model = staticModel(staticGraph(34, 14, 6, 22));
  const view = buildView(model, defaultViewOptions);
  const drawn = new Set(view.sections.flatMap((s) => s.nodes.map((n) => n.data.id)));
  assert.equal(view.isolated, 34 - drawn.size);
  assert.ok(view.isolated >= 17, `most locks are isolated (${view.isolated})`);
  const collapsed = laidOut(model);
  assertReadable(collapsed);
  assertCyclesFirst(collapsed, 6);
  const expanded = laidOut(model, { showIsolated: true });
  assertReadable(expanded);
  assert.equal(expanded.nodes.length, collapsed.nodes.length + view.isolated);
  assert.ok(expanded.width <= WIDTH, `the isolated grid wraps to the panel (${expanded.width}px)`);
});

test('grouping by file frames each file\'s locks outside the cycles (which are drawn as rings)', () => {
  const model = staticModel(staticGraph(34, 14, 6, 22));
  const layout = laidOut(model, { groupBy: 'file', showIsolated: true });
  assertReadable(layout);
  assert.ok(layout.groups.length > 0);
  for (const node of layout.nodes.filter((n) => !n.key.startsWith('cycle'))) {
    const file = model.elements.find((e) => e.data.id === node.id)!.data.files![0]!;
    const label = file.slice(file.lastIndexOf('/') + 1);
    const inside = layout.groups.some((g) => g.label === label && node.x >= g.x - 0.5 && node.y >= g.y - 0.5 &&
      node.x + node.width <= g.x + g.width + 0.5 && node.y + node.height <= g.y + g.height + 0.5);
    assert.ok(inside, `${node.key} sits in the frame of ${label}`);
  }
});

test('live view with 16 threads and 30 locks: the deadlock first, readable, nothing overlapping', () => {
  const model = liveModel(liveGraph(16, 30));
  const layout = laidOut(model);
  assertReadable(layout);
  assertCyclesFirst(layout, 1);
  const cycleKeys = layout.nodes.filter((n) => n.key.startsWith('cycle0/')).map((n) => n.id).sort();
  assert.deepEqual(cycleKeys, ['lock:L0', 'lock:L1', 'thread:0', 'thread:1']);
  assert.ok(layout.width <= WIDTH * 2.5, `not one endless row (${layout.width}px)`);
});

test('a cycle is a ring: a pair side by side, a triangle about as high as wide, every edge between its own two locks', () => {
  const layout = laidOut(staticModel(staticGraph(5, 5, 2, 2)));
  const pair = layout.nodes.filter((n) => n.key.startsWith('cycle0/'));
  assert.equal(pair.length, 2);
  assert.equal(pair[0]!.y, pair[1]!.y, 'a pair sits on one line');
  const triangle = layout.nodes.filter((n) => n.key.startsWith('cycle1/'));
  const width = Math.max(...triangle.map((n) => n.x + n.width)) - Math.min(...triangle.map((n) => n.x));
  const height = Math.max(...triangle.map((n) => n.y + n.height)) - Math.min(...triangle.map((n) => n.y));
  assert.ok(width < 3 * Math.max(...triangle.map((n) => n.width)) && height > triangle[0]!.height * 2, `${width} x ${height}`);
  for (const edge of layout.edges.filter((e) => e.key.startsWith('cycle'))) {
    const [from, to] = [layout.nodes.find((n) => n.key === edge.source)!, layout.nodes.find((n) => n.key === edge.target)!];
    const near = (p: { x: number; y: number }, n: LaidNode) => p.x >= n.x - 1 && p.x <= n.x + n.width + 1 && p.y >= n.y - 1 && p.y <= n.y + n.height + 1;
    assert.ok(near(edge.points[0]!, from) && near(edge.points.at(-1)!, to), `${edge.key} runs from its source's border to its target's`);
    // The label is not hidden behind a box (boxes are drawn over edges).
    const half = Math.ceil(edge.label.length * 11 * 0.6) / 2;
    for (const node of layout.nodes) {
      const hidden = edge.labelX + half > node.x && edge.labelX - half < node.x + node.width && edge.labelY + 6 > node.y && edge.labelY - 6 < node.y + node.height;
      assert.ok(!hidden, `${edge.key}'s label "${edge.label}" is behind ${node.key}`);
    }
  }
});

test('a lock ordered after itself is a loop over its box', () => {
  const model = staticModel({ nodes: [{ id: 'f', name: 'forks[*]', kind: 'Mutex' }], edges: [{ from: 'f', to: 'f', chains: [] }], cycles: [['f']] });
  const layout = laidOut(model);
  assertReadable(layout);
  assert.ok(layout.edges[0]!.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
});

test('250 locks in one long band of 240 other orders: the section fits 4 screens in width, wrapping into lines', () => {
  // Layered code (a controller's lock held while a service's is taken, held while a repository's is taken, ...)
  // makes one long chain of orders: as one left-to-right band it was dozens of screens wide.
  const graph = staticGraph(250, 248, 10, 40, 1, 'layered');
  const model = staticModel(graph);
  for (const groupBy of ['none', 'file', 'class'] as const) {
    const layout = laidOut(model, { groupBy });
    assertReadable(layout);
    assertCyclesFirst(layout, 10);
    const others = layout.nodes.filter((n) => n.key.startsWith('edges'));
    assert.ok(others.length >= 200, `${others.length} locks in the other orders`);
    const left = Math.min(...others.map((n) => n.x));
    const right = Math.max(...others.map((n) => n.x + n.width));
    assert.ok(right - left <= 4 * WIDTH, `${groupBy}: the other orders are ${right - left}px wide, more than 4 screens of ${WIDTH}px`);
    assert.ok(layout.width <= 4 * WIDTH, `${groupBy}: the page is ${layout.width}px wide`);
    // Every edge still joins its own two boxes.
    const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
    const touches = (p: { x: number; y: number }, n: LaidNode) => p.x >= n.x - 1 && p.x <= n.x + n.width + 1 && p.y >= n.y - 1 && p.y <= n.y + n.height + 1;
    for (const edge of layout.edges.filter((e) => e.key.startsWith('edges') && e.source !== e.target)) {
      assert.ok(touches(edge.points[0]!, byKey.get(edge.source)!) && touches(edge.points.at(-1)!, byKey.get(edge.target)!), `${edge.key} joins its locks`);
    }
    if (groupBy !== 'none') {
      for (const node of others) {
        const inside = layout.groups.some((g) => node.x >= g.x - 0.5 && node.y >= g.y - 0.5 && node.x + node.width <= g.x + g.width + 0.5 && node.y + node.height <= g.y + g.height + 0.5);
        assert.ok(inside, `${node.key} sits in a ${groupBy} frame`);
      }
    }
  }
});

test('a chain of 30 locks wider than the panel wraps into lines instead of scrolling sideways', () => {
  const nodes = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, name: `chainedResource${i}Lock`, kind: 'Mutex' as const }));
  const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i]!.id, to: n.id, chains: [] }));
  const layout = laidOut(staticModel({ nodes, edges, cycles: [] }));
  assertReadable(layout);
  assert.ok(layout.width <= WIDTH, `${layout.width}px`);
  assert.ok(new Set(layout.nodes.map((n) => n.y)).size > 1, 'more than one line');
});
