/// <reference lib="dom" />
/**
 * The script of `deadbolt report --html` (bundled into the page by esbuild): reads the graph the page carries as
 * JSON and starts the same interactive graph as the editor's panel. A click shows the site as text, since a
 * report opened from a CI artifact has no editor to jump into.
 */
import type { LiveLockGraph, StaticLockGraph } from '../protocol/index.js';
import { GraphApp, graphAppMarkup } from './app.js';
import { shortSite } from './elements.js';
import { cycleAt } from './focus.js';
import { liveModel } from './live-model.js';
import { staticModel } from './static-model.js';

/** What the page embeds in `<script id="deadbolt-graph" type="application/json">`. */
export interface ReportData {
  graph?: StaticLockGraph;
  live?: LiveLockGraph;
}

document.getElementById('graph-app')!.innerHTML = graphAppMarkup;
const data = JSON.parse(document.getElementById('deadbolt-graph')?.textContent ?? '{}') as ReportData;
const details = document.getElementById('graph-details');
const app = new GraphApp({
  open(location) {
    if (details) details.textContent = `${decodeURIComponent(location.uri.replace(/^file:\/\//, ''))}:${location.range.start.line + 1} (${shortSite(location)})`;
  },
  rendered(view) {
    // Data attributes let the Chromium test confirm what was drawn.
    Object.assign(document.body.dataset, { rendered: 'true', nodes: String(view.nodes), edges: String(view.edges), cycles: String(view.cycles) });
  },
});
app.setModel(data.live ? liveModel(data.live) : staticModel(data.graph ?? { nodes: [], edges: [], cycles: [] }));

// "Show in graph" beside a lock-order finding focuses its cycle, as the editor's code action does.
for (const button of document.querySelectorAll<HTMLButtonElement>('button.show-cycle')) {
  button.addEventListener('click', () => {
    const line = Number(button.dataset.line);
    const place = { uri: button.dataset.uri ?? '', range: { start: { line, character: 0 }, end: { line, character: 0 } } };
    const cycle = data.graph ? cycleAt(data.graph, place) : undefined;
    if (cycle) {
      app.focusCycle(cycle);
      document.getElementById('graph-app')?.scrollIntoView({ block: 'start' });
    }
  });
}
