/**
 * The lock-graph webview's script (bundled by esbuild as a browser IIFE): receives graphs from the extension,
 * lays them out with cytoscape + dagre, and asks the extension to open a source site when a node or edge is clicked.
 * It can show the static graph or a debug session's live graph; a tab bar switches between them.
 */
import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { LiveLockGraph, SourceLocation, StaticLockGraph } from '@deadbolt/server/protocol';
import type { FromWebview, ToWebview } from './messages.js';
import { shortSite, type GraphModel } from './model/elements.js';
import { liveModel } from './model/liveModel.js';
import { staticModel } from './model/staticModel.js';
import { graphStyle } from './theme.js';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

cytoscape.use(dagre);
const vscode = acquireVsCodeApi();
const post = (message: FromWebview): void => vscode.postMessage(message);

const container = document.getElementById('graph')!;
const headline = document.getElementById('headline')!;
const summary = document.getElementById('summary')!;
const empty = document.getElementById('empty')!;
const siteList = document.getElementById('site-list')!;
const tabs = { static: document.getElementById('tab-static')!, live: document.getElementById('tab-live')! };

const MAX_FIT_ZOOM = 1.3;

let mode: 'static' | 'live' = 'static';
let staticGraph: StaticLockGraph | undefined;
let liveGraph: LiveLockGraph | undefined;

const cy = cytoscape({ container, style: graphStyle(), wheelSensitivity: 0.3, minZoom: 0.2, maxZoom: 3 });

cy.on('tap', 'node, edge', (event) => {
  const location = event.target.data('location') as SourceLocation | undefined;
  if (location) post({ type: 'open', location });
});

function render(): void {
  const graph = mode === 'static' ? staticGraph : liveGraph;
  const model: GraphModel = graph === undefined
    ? { elements: [], cycles: 0, cycleNodes: [], headline: '' }
    : mode === 'static' ? staticModel(graph as StaticLockGraph) : liveModel(graph as LiveLockGraph);

  cy.elements().remove();
  // cytoscape stores what it is given; the model's plain objects are cloned so later renders start clean.
  cy.add(model.elements.map((e) => ({ group: e.group, data: { ...e.data }, classes: e.classes })));
  cy.layout({ name: 'dagre', rankDir: 'LR', nodeSep: 40, rankSep: 90, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
  // Fitting a two-lock graph would blow it up to fill the panel; keep text at a readable size instead.
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }

  renderSites(model);

  const nodes = cy.nodes().length;
  const edges = cy.edges().length;
  headline.textContent = model.headline;
  headline.hidden = model.headline === '';
  empty.hidden = nodes > 0;
  empty.textContent = graph === undefined
    ? (mode === 'static' ? 'Waiting for the language server...' : 'No Deadbolt debug session has reported yet.')
    : (mode === 'static' ? 'No locks found in this workspace.' : 'The program holds no locks.');
  const nounLocks = mode === 'static' ? 'locks' : 'threads and locks';
  summary.textContent = `${nodes} ${nounLocks}, ${edges} edges, ${model.cycles} cycle${model.cycles === 1 ? '' : 's'}`;

  // Data attributes let tests and screenshots confirm what was drawn without reading the canvas.
  document.body.dataset.mode = mode;
  document.body.dataset.nodes = String(nodes);
  document.body.dataset.edges = String(edges);
  document.body.dataset.cycles = String(model.cycles);
  document.body.dataset.rendered = 'true';
  post({ type: 'rendered', mode, nodes, edges, cycles: model.cycles, cycleNodes: model.cycleNodes });
}

/**
 * The same sites as a list of buttons under the graph: reachable by keyboard and screen readers, which a canvas
 * is not, and a stable target for the editor test.
 */
function renderSites(model: GraphModel): void {
  const names = new Map(model.elements.filter((e) => e.group === 'nodes').map((e) => [e.data.id, e.data.label]));
  siteList.replaceChildren(
    ...model.elements.flatMap((element) => {
      const location = element.data.location;
      if (!location) return [];
      const button = document.createElement('button');
      button.textContent = element.group === 'nodes'
        ? `${element.data.label}: ${shortSite(location)}`
        : `${names.get(element.data.source)} \u2192 ${names.get(element.data.target)}: ${shortSite(location)}`;
      button.title = element.data.tooltip;
      if (element.classes.includes('cycle')) button.classList.add('cycle');
      button.addEventListener('click', () => post({ type: 'open', location }));
      const item = document.createElement('li');
      item.append(button);
      return [item];
    }),
  );
}

function select(next: 'static' | 'live'): void {
  mode = next;
  tabs.static.setAttribute('aria-selected', String(mode === 'static'));
  tabs.live.setAttribute('aria-selected', String(mode === 'live'));
  render();
}

tabs.static.addEventListener('click', () => select('static'));
tabs.live.addEventListener('click', () => select('live'));
document.getElementById('refresh')!.addEventListener('click', () => post({ type: 'refresh' }));
document.getElementById('fit')!.addEventListener('click', () => cy.fit(undefined, 30));

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'static':
      staticGraph = message.graph;
      if (mode === 'static') render();
      break;
    case 'live':
      liveGraph = message.graph;
      tabs.live.hidden = false;
      // A deadlock is the moment the live view matters most, so it takes the panel over.
      if (mode === 'live' || message.graph.deadlock) select('live');
      break;
    case 'liveEnded':
      if (mode === 'live') summary.textContent += ' (session ended)';
      break;
    case 'error':
      empty.hidden = false;
      empty.textContent = message.message;
      break;
  }
});

// VS Code switches themes by changing the body's classes and the variables on <html>; rebuild the canvas style
// so colours follow.
const restyle = new MutationObserver(() => cy.style(graphStyle()));
restyle.observe(document.body, { attributes: true, attributeFilter: ['class'] });
restyle.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

post({ type: 'ready' });
