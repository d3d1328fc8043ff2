/// <reference lib="dom" />
/**
 * The interactive lock graph (browser only), shared by the editor's panel and the HTML report: the view controls
 * (whole workspace, one file, one lock's neighbourhood; search; grouping; isolated locks), the scrolling drawing,
 * and what a click does, which the host decides (open the site in the editor, or show it in the report).
 */
import type { SourceLocation } from '../protocol/index.js';
import { baseName, type GraphModel, type GraphNode } from './elements.js';
import { layoutView } from './layout.js';
import { canvasMeasure, GraphCanvas } from './render.js';
import { buildView, busiestLock, defaultViewOptions, type GroupBy, type Scope, type View, type ViewOptions } from './view.js';

export interface GraphAppHost {
  /** A node or edge with a source site was clicked. */
  open?(location: SourceLocation): void;
  /** A drawing finished; the counts are the view's (what is in scope), for tests, logs and the page's summary. */
  rendered?(view: View): void;
}

/** The markup the app fills in; both pages include it where the graph goes. */
export const graphAppMarkup = `
<div class="graph-controls" role="toolbar" aria-label="Lock graph view">
  <label>View <select id="view-scope" aria-label="Which locks to show">
    <option value="workspace">Whole workspace</option>
    <option value="file">One file and what it reaches</option>
    <option value="lock">One lock's neighbourhood</option>
    <option value="cycle" hidden>One cycle and its neighbours</option>
  </select></label>
  <select id="view-file" aria-label="File" hidden></select>
  <select id="view-lock" aria-label="Lock" hidden></select>
  <input id="search" type="search" placeholder="Search locks" aria-label="Search locks" size="18">
  <label>Group <select id="group-by" aria-label="Group by">
    <option value="none">none</option><option value="file">by file</option><option value="class">by class</option>
  </select></label>
  <span class="spacer"></span>
  <button id="zoom-out" title="Zoom out (never below a readable size)" aria-label="Zoom out">\u2212</button>
  <button id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <button id="fit" title="Show as much of the graph as fits at a readable size">Fit</button>
</div>
<div class="graph-status"><span id="view-summary"></span><button id="isolated-toggle" hidden></button></div>
<div id="graph" class="graph-scroll" aria-label="Lock graph" tabindex="0"></div>`;

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

export class GraphApp {
  private model: GraphModel = { elements: [], cycles: 0, cycleNodes: [], headline: '' };
  private options: ViewOptions = { ...defaultViewOptions };
  private currentFile: string | undefined;
  private readonly canvas: GraphCanvas;
  private readonly controls = {
    scope: byId<HTMLSelectElement>('view-scope'),
    file: byId<HTMLSelectElement>('view-file'),
    lock: byId<HTMLSelectElement>('view-lock'),
    search: byId<HTMLInputElement>('search'),
    groupBy: byId<HTMLSelectElement>('group-by'),
    isolated: byId<HTMLButtonElement>('isolated-toggle'),
    summary: byId<HTMLElement>('view-summary'),
  };
  private readonly host: HTMLElement = byId('graph');
  private readonly measure: (text: string, fontPx: number) => number;
  private lastView: View | undefined;
  /** The lock clicked last: the natural centre of the neighbourhood view. */
  private selectedLock: string | undefined;

  constructor(private readonly appHost: GraphAppHost) {
    this.measure = canvasMeasure(getComputedStyle(document.body).fontFamily || 'sans-serif');
    this.canvas = new GraphCanvas(this.host, {
      select: (target) => {
        if (target.nodeId !== undefined) this.selectedLock = target.nodeId;
        if (target.location && this.appHost.open) this.appHost.open(target.location);
      },
    });
    const { scope, file, lock, search, groupBy, isolated } = this.controls;
    scope.addEventListener('change', () => {
      // The lock clicked last is the natural centre of a neighbourhood; without one, the lock with the most orders
      // (an isolated lock would show a neighbourhood of one box). The list beside it picks another.
      if (scope.value === 'lock') lock.value = this.selectedLock ?? busiestLock(this.model) ?? lock.value;
      this.setScopeFromControls();
    });
    file.addEventListener('change', () => this.setScopeFromControls());
    lock.addEventListener('change', () => this.setScopeFromControls());
    let typing: ReturnType<typeof setTimeout> | undefined;
    search.addEventListener('input', () => {
      // Redraw after a pause in typing rather than on every key: a layout of hundreds of locks takes a moment.
      clearTimeout(typing);
      typing = setTimeout(() => this.update({ search: search.value }), 150);
    });
    groupBy.addEventListener('change', () => this.update({ groupBy: groupBy.value as GroupBy }));
    isolated.addEventListener('click', () => this.update({ showIsolated: !this.options.showIsolated }));
    byId('zoom-in').addEventListener('click', () => this.canvas.setZoom(this.canvas.zoom * 1.25));
    byId('zoom-out').addEventListener('click', () => this.canvas.setZoom(this.canvas.zoom / 1.25));
    byId('fit').addEventListener('click', () => this.canvas.fit());
    // A laid-out page depends on the panel's width (rows of small groups wrap to it).
    let lastWidth = this.host.clientWidth;
    new ResizeObserver(() => {
      if (Math.abs(this.host.clientWidth - lastWidth) > 40) {
        lastWidth = this.host.clientWidth;
        this.render();
      }
    }).observe(this.host);
  }

  /** Shows a new model; the view choices stay, except a lock or cycle focus whose locks are gone. */
  setModel(model: GraphModel): void {
    this.model = model;
    const ids = new Set(this.nodes().map((n) => n.data.id));
    if (this.selectedLock !== undefined && !ids.has(this.selectedLock)) this.selectedLock = undefined;
    const scope = this.options.scope;
    if ((scope.kind === 'lock' && !ids.has(scope.id)) || (scope.kind === 'cycle' && !scope.nodes.every((id) => ids.has(id)))) {
      this.options.scope = { kind: 'workspace' };
    }
    this.fillChoices();
    this.render();
  }

  /** The file the user edits, offered first by the file view. */
  setCurrentFile(uri: string | undefined): void {
    this.currentFile = uri;
    this.fillChoices();
    if (uri === undefined) return;
    this.controls.file.value = uri;
    // The file view follows the editor: switching files shows the new file's locks.
    if (this.options.scope.kind === 'file' && this.options.scope.uri !== uri) this.update({ scope: { kind: 'file', uri } });
  }

  /** Shows one cycle first, with its neighbours, and scrolls to it (the "Show in Lock Graph" code action). */
  focusCycle(nodes: string[]): void {
    this.options.scope = { kind: 'cycle', nodes };
    this.render();
    if (nodes[0] !== undefined) this.canvas.reveal(nodes[0]);
  }

  get view(): View | undefined {
    return this.lastView;
  }

  private update(change: Partial<ViewOptions>): void {
    this.options = { ...this.options, ...change };
    this.render();
  }

  private setScopeFromControls(): void {
    const { scope, file, lock } = this.controls;
    let next: Scope = { kind: 'workspace' };
    if (scope.value === 'file' && file.value) next = { kind: 'file', uri: file.value };
    if (scope.value === 'lock' && lock.value) next = { kind: 'lock', id: lock.value };
    if (scope.value === 'cycle') return;
    this.update({ scope: next });
  }

  private nodes(): GraphNode[] {
    return this.model.elements.filter((e): e is GraphNode => e.group === 'nodes');
  }

  private fillChoices(): void {
    const { file, lock } = this.controls;
    const files = [...new Set(this.model.elements.flatMap((e) => e.data.files ?? []))].sort();
    if (this.currentFile && !files.includes(this.currentFile)) files.unshift(this.currentFile);
    const keepFile = file.value || this.currentFile;
    file.replaceChildren(...files.map((uri) => new Option(baseName(uri), uri)));
    if (keepFile && files.includes(keepFile)) file.value = keepFile;
    const keepLock = lock.value;
    const nodes = this.nodes().slice().sort((a, b) => a.data.label.localeCompare(b.data.label));
    lock.replaceChildren(...nodes.map((n) => new Option(n.data.files?.[0] ? `${n.data.label} (${baseName(n.data.files[0])})` : n.data.label, n.data.id)));
    if (keepLock) lock.value = keepLock;
  }

  render(): void {
    const { scope, file, lock, isolated, summary } = this.controls;
    const kind = this.options.scope.kind;
    scope.value = kind;
    file.hidden = kind !== 'file';
    lock.hidden = kind !== 'lock';

    const view = buildView(this.model, this.options);
    const width = Math.max(this.host.clientWidth, 480);
    const layout = layoutView(view, { groupBy: this.options.groupBy, maxWidth: width, measure: this.measure });
    this.canvas.draw(layout, new Set(view.matches));
    this.lastView = view;

    isolated.hidden = view.isolated === 0;
    const [one, many] = this.model.words?.isolatedItems ?? ['isolated lock', 'isolated locks'];
    isolated.textContent = `${this.options.showIsolated ? 'Hide' : 'Show'} ${view.isolated} ${view.isolated === 1 ? one : many}`;
    isolated.setAttribute('aria-expanded', String(this.options.showIsolated));
    const scopeText = kind === 'cycle' ? 'one cycle and its neighbours' : kind === 'file' ? baseName(file.value) : kind === 'lock' ? `around ${lock.selectedOptions[0]?.text ?? ''}` : '';
    const searchText = view.matches.length > 0 || this.options.search ? `, ${view.matches.length} match${view.matches.length === 1 ? '' : 'es'}` : '';
    summary.textContent = `${scopeText ? `${scopeText}: ` : ''}${view.cycles} cycle${view.cycles === 1 ? '' : 's'} first, ` +
      `${view.nodes - view.isolated} connected lock${view.nodes - view.isolated === 1 ? '' : 's'}${searchText}` +
      (layout.notices.length > 0 ? `. ${layout.notices.join('. ')}` : '');
    this.appHost.rendered?.(view);
  }
}
