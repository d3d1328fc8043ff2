/**
 * The lock-graph webview's script (bundled by esbuild as a browser IIFE): receives graphs from the extension and
 * hands them to the shared interactive graph (`@deadbolt/server/graph-view/app`, the same code as the HTML report),
 * and asks the extension to open a source site when a node or edge is clicked. It can show the static graph or a
 * debug session's live graph; a tab bar switches between them.
 */
import type { LiveLockGraph, SourceLocation, StaticLockGraph } from '@deadbolt/server/protocol';
import { GraphApp, graphAppMarkup } from '@deadbolt/server/graph-view/app';
import { shortSite, type GraphModel } from '@deadbolt/server/graph-view/elements';
import { cycleAt } from '@deadbolt/server/graph-view/focus';
import { liveModel } from '@deadbolt/server/graph-view/live-model';
import { staticModel } from '@deadbolt/server/graph-view/static-model';
import { graphCss } from '@deadbolt/server/graph-view/styles';
import type { FromWebview, ToWebview } from './messages.js';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

const vscode = acquireVsCodeApi();
const post = (message: FromWebview): void => vscode.postMessage(message);

// The graph's stylesheet is shared with the report; the page's policy admits a <style> carrying this page's nonce.
const style = document.createElement('style');
style.nonce = document.currentScript?.nonce ?? '';
style.textContent = graphCss;
document.head.append(style);
document.getElementById('graph-app')!.innerHTML = graphAppMarkup;

const headline = document.getElementById('headline')!;
const summary = document.getElementById('summary')!;
const empty = document.getElementById('empty')!;
const siteList = document.getElementById('site-list')!;
const tabs = { static: document.getElementById('tab-static')!, live: document.getElementById('tab-live')! };

let mode: 'static' | 'live' = 'static';
let staticGraph: StaticLockGraph | undefined;
let liveGraph: LiveLockGraph | undefined;
/** A cycle to focus once the static graph that contains it arrives (the code action can open the panel first). */
let pendingFocus: SourceLocation | undefined;
let model: GraphModel = { elements: [], cycles: 0, cycleNodes: [], headline: '' };

const app = new GraphApp({
  open: (location) => post({ type: 'open', location }),
  rendered: (view) => {
    // Data attributes let tests and screenshots confirm what was drawn without reading the drawing.
    Object.assign(document.body.dataset, {
      mode, nodes: String(view.nodes), edges: String(view.edges), cycles: String(view.cycles),
      isolated: String(view.isolated), hazards: String(model.hazards ?? 0), rendered: 'true',
    });
    post({ type: 'rendered', mode, nodes: view.nodes, edges: view.edges, cycles: view.cycles, cycleNodes: model.cycleNodes });
  },
});

function render(): void {
  const graph = mode === 'static' ? staticGraph : liveGraph;
  model = graph === undefined
    ? { elements: [], cycles: 0, cycleNodes: [], headline: '' }
    : mode === 'static' ? staticModel(graph as StaticLockGraph) : liveModel(graph as LiveLockGraph);
  const nodes = model.elements.filter((e) => e.group === 'nodes').length;
  const edges = model.elements.length - nodes;
  headline.textContent = model.headline;
  headline.hidden = model.headline === '';
  empty.hidden = nodes > 0;
  empty.textContent = graph === undefined
    ? (mode === 'static' ? 'Waiting for the language server...' : 'No Deadbolt debug session has reported yet.')
    : (mode === 'static' ? 'No locks found in this workspace.' : 'The program holds no locks.');
  const nounLocks = mode === 'static' ? 'locks' : 'threads and locks';
  summary.textContent = `${nodes} ${nounLocks}, ${edges} edges, ${model.cycles} cycle${model.cycles === 1 ? '' : 's'}`;
  renderSites(model);
  app.setModel(model);
  applyFocus();
}

function applyFocus(): void {
  if (pendingFocus === undefined || mode !== 'static' || staticGraph === undefined) return;
  const cycle = cycleAt(staticGraph, pendingFocus);
  pendingFocus = undefined;
  if (cycle) app.focusCycle(cycle);
}

/**
 * The same sites as a list of buttons under the graph: reachable by keyboard and screen readers, and a stable
 * target for the editor test.
 */
function renderSites(current: GraphModel): void {
  const names = new Map(current.elements.filter((e) => e.group === 'nodes').map((e) => [e.data.id, e.data.label]));
  siteList.replaceChildren(
    ...current.elements.flatMap((element) => {
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

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'static':
      staticGraph = message.graph;
      if (mode === 'static') render();
      break;
    case 'live': {
      const hazardsBefore = liveGraph?.potentialDeadlocks?.length ?? 0;
      liveGraph = message.graph;
      tabs.live.hidden = false;
      // A deadlock, or a new potential deadlock, is when the live view matters most, so it takes the panel over.
      if (mode === 'live' || message.graph.deadlock || (message.graph.potentialDeadlocks?.length ?? 0) > hazardsBefore) select('live');
      break;
    }
    case 'liveEnded':
      if (mode === 'live') summary.textContent += ' (session ended)';
      break;
    case 'activeFile':
      app.setCurrentFile(message.uri);
      break;
    case 'focusCycle':
      pendingFocus = message.place;
      if (mode !== 'static') select('static');
      else applyFocus();
      break;
    case 'error':
      empty.hidden = false;
      empty.textContent = message.message;
      break;
  }
});

post({ type: 'ready' });
