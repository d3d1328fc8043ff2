/// <reference lib="dom" />
/**
 * Draws a layout as SVG inside a scrolling element (browser only). SVG text is real text: it stays sharp at any
 * zoom, the browser can measure it (the editor test reads each label's rendered size), and a big graph simply
 * makes the element scroll. Zoom scales the drawing but never below MIN_ZOOM.
 */
import { MIN_ZOOM, type LaidEdge, type LaidNode, type Layout } from './layout.js';
import type { SourceLocation } from '../protocol/index.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface RenderHandlers {
  /** A node or edge was clicked: the element's source site (if any) and the lock id (for nodes). */
  select(target: { location?: SourceLocation; nodeId?: string; tooltip: string }): void;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  parent?.append(element);
  return element;
}

export class GraphCanvas {
  private svg: SVGSVGElement | undefined;
  private layout: Layout | undefined;
  private zoomLevel = 1;

  constructor(private readonly host: HTMLElement, private readonly handlers: RenderHandlers) {}

  get zoom(): number {
    return this.zoomLevel;
  }

  draw(layout: Layout, highlight: ReadonlySet<string> = new Set()): void {
    this.layout = layout;
    const svg = el('svg', { class: 'lock-graph', role: 'img', 'aria-label': 'Lock graph' });
    const defs = el('defs', {}, svg);
    for (const [id, cls] of [['arrow', 'arrow'], ['arrow-cycle', 'arrow cycle']] as const) {
      const marker = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }, marker);
    }
    for (const title of layout.titles) {
      const text = el('text', { x: title.x, y: title.y, class: `section-title ${title.kind}` }, svg);
      text.textContent = title.text;
    }
    for (const group of layout.groups) {
      el('rect', { x: group.x, y: group.y, width: group.width, height: group.height, rx: 6, class: 'group' }, svg);
      const label = el('text', { x: group.x + 6, y: group.y - 4, class: 'group-label' }, svg);
      label.textContent = group.label;
    }
    const edgeLayer = el('g', { class: 'edges' }, svg);
    for (const edge of layout.edges) this.drawEdge(edge, edgeLayer);
    const nodeLayer = el('g', { class: 'nodes' }, svg);
    for (const node of layout.nodes) this.drawNode(node, nodeLayer, highlight.has(node.id));
    this.svg = svg;
    this.host.replaceChildren(svg);
    this.applyZoom();
  }

  private drawEdge(edge: LaidEdge, parent: Element): void {
    const cycle = edge.classes.includes('cycle');
    const g = el('g', { class: ['edge', ...edge.classes].join(' '), 'data-key': edge.key }, parent);
    el('title', {}, g).textContent = edge.tooltip;
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
    el('path', { d, class: 'edge-line', 'marker-end': `url(#${cycle ? 'arrow-cycle' : 'arrow'})` }, g);
    // A wide transparent stroke makes a thin edge easy to click.
    el('path', { d, class: 'edge-hit' }, g);
    if (edge.label) {
      const text = el('text', { x: edge.labelX, y: edge.labelY, class: 'edge-label', 'dominant-baseline': 'middle', 'text-anchor': 'middle' }, g);
      text.textContent = edge.label;
    }
    g.addEventListener('click', () => this.handlers.select({ ...(edge.location ? { location: edge.location } : {}), tooltip: edge.tooltip }));
  }

  private drawNode(node: LaidNode, parent: Element, highlighted: boolean): void {
    const classes = ['node', ...node.classes, highlighted ? 'match' : ''].filter(Boolean).join(' ');
    const g = el('g', { class: classes, 'data-key': node.key, 'data-id': node.id, tabindex: 0, role: 'button' }, parent);
    el('title', {}, g).textContent = node.tooltip;
    el('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.classes.includes('thread') ? node.height / 2 : 5 }, g);
    const text = el('text', {
      x: node.x + node.width / 2,
      y: node.y + node.height / 2,
      'font-size': node.fontPx,
      class: 'node-label',
      'dominant-baseline': 'central',
      'text-anchor': 'middle',
    }, g);
    text.textContent = node.label;
    const select = (): void => this.handlers.select({ ...(node.location ? { location: node.location } : {}), nodeId: node.id, tooltip: node.tooltip });
    g.addEventListener('click', select);
    g.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') select();
    });
  }

  setZoom(zoom: number): void {
    this.zoomLevel = Math.min(Math.max(zoom, MIN_ZOOM), 3);
    this.applyZoom();
  }

  /** Zooms out as far as the page allows to show the whole drawing, but never below a readable size. */
  fit(): void {
    if (!this.layout || this.layout.width === 0) return;
    const scale = Math.min(this.host.clientWidth / this.layout.width, this.host.clientHeight / this.layout.height);
    this.setZoom(Math.min(scale, 1.5));
  }

  /** Scrolls so the node with this id (its first drawing) is in view. */
  reveal(nodeId: string): void {
    const node = this.svg?.querySelector(`g.node[data-id="${CSS.escape(nodeId)}"]`);
    if (!node) return;
    // Only the drawing's own element scrolls (scrollIntoView would also move the page around it).
    const box = node.getBoundingClientRect();
    const view = this.host.getBoundingClientRect();
    this.host.scrollTop += box.top - view.top - this.host.clientHeight / 3;
    this.host.scrollLeft += box.left - view.left - 24;
  }

  private applyZoom(): void {
    if (!this.svg || !this.layout) return;
    const { width, height } = this.layout;
    this.svg.setAttribute('viewBox', `0 0 ${Math.max(width, 1)} ${Math.max(height, 1)}`);
    this.svg.setAttribute('width', String(Math.ceil(width * this.zoomLevel)));
    this.svg.setAttribute('height', String(Math.ceil(height * this.zoomLevel)));
  }
}

/** Measures text with a canvas in the page's font, so node boxes fit their labels exactly. */
export function canvasMeasure(fontFamily: string): (text: string, fontPx: number) => number {
  const context = document.createElement('canvas').getContext('2d');
  return (text, fontPx) => {
    if (!context) return Math.ceil(text.length * fontPx * 0.6);
    context.font = `${fontPx}px ${fontFamily}`;
    return Math.ceil(context.measureText(text).width);
  };
}
