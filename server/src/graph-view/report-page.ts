/// <reference lib="dom" />
/**
 * The script of `deadbolt report --html` (bundled into the page by esbuild): reads the graph the page carries as
 * JSON and starts the same interactive graph as the editor's panel. A click shows the site as text, since a
 * report opened from a CI artifact has no editor to jump into.
 */
import type { LiveLockGraph, StaticLockGraph } from '../protocol/index.js';
import { GraphApp } from './app.js';
import { shortSite } from './elements.js';
import { liveModel } from './live-model.js';
import { staticModel } from './static-model.js';

/** What the page embeds in `<script id="deadbolt-graph" type="application/json">`. */
export interface ReportData {
  graph?: StaticLockGraph;
  live?: LiveLockGraph;
}

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
