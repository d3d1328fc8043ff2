/**
 * How long the lock graph takes to lay out at the sizes of issue 12 (the panel redraws on every analysis, search
 * keystroke pause and view change), and how long `deadbolt report` spends bundling the page's script.
 * Prints figures; judges nothing.
 */
import { reportScript } from '../src/cli/report.js';
import { layoutView } from '../src/graph-view/layout.js';
import { liveModel } from '../src/graph-view/live-model.js';
import { staticModel } from '../src/graph-view/static-model.js';
import { buildView, defaultViewOptions, type ViewOptions } from '../src/graph-view/view.js';
import type { GraphModel } from '../src/graph-view/elements.js';
import { liveGraph, staticGraph } from '../test/graph-view/generate.js';

export const name = 'graph-view';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(model: GraphModel, options: Partial<ViewOptions>, runs = 5): { ms: number; width: number; height: number } {
  const samples: number[] = [];
  let size = { width: 0, height: 0 };
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const view = buildView(model, { ...defaultViewOptions, ...options });
    const layout = layoutView(view, { groupBy: options.groupBy ?? 'none', maxWidth: 1000 });
    samples.push(performance.now() - started);
    size = { width: layout.width, height: layout.height };
  }
  return { ms: median(samples), ...size };
}

export async function run(): Promise<void> {
  const cases: [string, GraphModel, Partial<ViewOptions>][] = [
    ['200 locks, 300 edges, 10 cycles', staticModel(staticGraph(200, 300, 10, 40)), {}],
    ['  same, isolated shown, grouped by class', staticModel(staticGraph(200, 300, 10, 40)), { showIsolated: true, groupBy: 'class' }],
    ['34 locks, 14 edges, 6 cycles (22 files)', staticModel(staticGraph(34, 14, 6, 22)), {}],
    ['  same, isolated shown, grouped by file', staticModel(staticGraph(34, 14, 6, 22)), { showIsolated: true, groupBy: 'file' }],
    // One long band of orders, as layered code makes them (issue 26): flowed into lines as wide as the panel.
    ['250 locks, 248 edges in one band, 10 cycles', staticModel(staticGraph(250, 248, 10, 40, 1, 'layered')), {}],
    ['  same, grouped by file', staticModel(staticGraph(250, 248, 10, 40, 1, 'layered')), { groupBy: 'file' }],
    ['live: 16 threads, 30 locks', liveModel(liveGraph(16, 30)), { showIsolated: true }],
  ];
  console.log('graph-view: view + layout, median of 5 (page size at zoom 1)');
  for (const [label, model, options] of cases) {
    const { ms, width, height } = time(model, options);
    console.log(`  ${label.padEnd(42)} ${ms.toFixed(1).padStart(7)} ms  ${width} x ${height} px`);
  }
  const started = performance.now();
  const script = await reportScript();
  console.log(`  report script bundle (esbuild)              ${(performance.now() - started).toFixed(0).padStart(7)} ms  ${(script.length / 1024).toFixed(0)} KiB`);
}
