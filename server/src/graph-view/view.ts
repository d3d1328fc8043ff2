/**
 * What the lock-graph panel and the HTML report show of a graph model: the part in scope (the whole workspace,
 * one file and what it reaches, one lock's neighbourhood, one cycle), narrowed by a search, cut into sections:
 * each cycle on its own first, then the other connected locks, then the isolated locks behind a count.
 * Pure data in, pure data out, so every choice here is unit-tested without a browser.
 */
import { type GraphEdge, type GraphModel, type GraphNode } from './elements.js';

export type Scope =
  | { kind: 'workspace' }
  /** The locks of one file (declared there or taken there) and every lock they reach. */
  | { kind: 'file'; uri: string }
  /** One lock, the locks taken while holding it and the locks held while taking it. */
  | { kind: 'lock'; id: string }
  /** The locks of one cycle and their neighbours, with that cycle first. */
  | { kind: 'cycle'; nodes: string[] };

export type GroupBy = 'none' | 'file' | 'class';

export interface ViewOptions {
  scope: Scope;
  /** Case-insensitive text matched against lock names and their files; empty shows everything in scope. */
  search: string;
  groupBy: GroupBy;
  /** Whether the isolated locks (no edge in scope) are drawn or only counted. */
  showIsolated: boolean;
}

export const defaultViewOptions: ViewOptions = { scope: { kind: 'workspace' }, search: '', groupBy: 'none', showIsolated: false };

export interface Section {
  /** Unique within a view; layout keys a drawn node as `${section.key}/${node id}` because a lock can appear in several sections. */
  key: string;
  kind: 'cycle' | 'edges' | 'isolated';
  /** The heading drawn above the section, empty for the second and later blocks of connected locks. */
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface View {
  sections: Section[];
  /** How many locks in scope have no edge in scope, drawn or not. */
  isolated: number;
  /** The distinct locks, edges and cycles in scope (a lock drawn in two sections counts once). */
  nodes: number;
  edges: number;
  cycles: number;
  /** Node ids the search matched (empty when there is no search). */
  matches: string[];
}

export function buildView(model: GraphModel, options: ViewOptions): View {
  const allNodes = model.elements.filter((e): e is GraphNode => e.group === 'nodes');
  const allEdges = model.elements.filter((e): e is GraphEdge => e.group === 'edges');
  const inScope = scopeNodes(allNodes, allEdges, options.scope);

  const query = options.search.trim().toLowerCase();
  const matches = query === '' ? [] : allNodes.filter((n) => inScope.has(n.data.id) && matchesQuery(n, query)).map((n) => n.data.id);
  // A search keeps what matched and its direct neighbours, so each match is still seen with the orders it takes part in.
  const visible = query === '' ? inScope : neighbourhood(new Set(matches), allEdges, inScope);

  const nodes = allNodes.filter((n) => visible.has(n.data.id));
  const edges = allEdges.filter((e) => visible.has(e.data.source) && visible.has(e.data.target));
  const byId = new Map(nodes.map((n) => [n.data.id, n]));
  const cycles = (model.cycleList ?? []).filter((cycle) => cycle.length > 0 && cycle.every((id) => visible.has(id)));
  if (options.scope.kind === 'cycle') {
    // The focused cycle comes first however the model ordered it.
    const focus = new Set(options.scope.nodes);
    cycles.sort((a, b) => Number(sameSet(b, focus)) - Number(sameSet(a, focus)));
  }

  const sections: Section[] = [];
  const usedEdges = new Set<string>();
  cycles.forEach((cycle, index) => {
    const members = new Set(cycle);
    const cycleEdges = edges.filter((e) => e.classes.includes('cycle') && members.has(e.data.source) && members.has(e.data.target));
    cycleEdges.forEach((e) => usedEdges.add(e.data.id));
    const names = cycle.map((id) => byId.get(id)?.data.label ?? id);
    sections.push({
      key: `cycle${index}`,
      kind: 'cycle',
      title: `Cycle ${index + 1} of ${cycles.length}: ${[...names, names[0]].join(' \u2192 ')}`,
      nodes: cycle.map((id) => byId.get(id)).filter((n): n is GraphNode => n !== undefined),
      edges: cycleEdges,
    });
  });

  const rest = edges.filter((e) => !usedEdges.has(e.data.id));
  const components = connectedComponents(rest);
  // Larger components first: they carry most of the structure, and the small ones pack into rows after them.
  components.sort((a, b) => b.length - a.length);
  components.forEach((component, index) => {
    const ids = new Set(component.flatMap((e) => [e.data.source, e.data.target]));
    sections.push({
      key: `edges${index}`,
      kind: 'edges',
      title: index === 0 ? `${model.words?.others ?? 'Other lock orders'}: ${rest.length} edge${rest.length === 1 ? '' : 's'}` : '',
      nodes: nodes.filter((n) => ids.has(n.data.id)),
      edges: component,
    });
  });

  const connected = new Set(edges.flatMap((e) => [e.data.source, e.data.target]));
  for (const cycle of cycles) cycle.forEach((id) => connected.add(id));
  const isolated = nodes.filter((n) => !connected.has(n.data.id));
  if (isolated.length > 0 && options.showIsolated) {
    sections.push({
      key: 'isolated',
      kind: 'isolated',
      title: `${isolated.length} ${model.words ? 'element' : 'lock'}${isolated.length === 1 ? '' : 's'} ${model.words?.isolated ?? 'with no order to another lock'}`,
      nodes: isolated,
      edges: [],
    });
  }

  return { sections, isolated: isolated.length, nodes: nodes.length, edges: edges.length, cycles: cycles.length, matches };
}

/**
 * The lock the neighbourhood view starts on when none was picked: the one with the most orders to other locks (a
 * lock of a cycle first among equals), so the first thing it shows is a neighbourhood rather than one lone box.
 */
export function busiestLock(model: GraphModel): string | undefined {
  const degree = new Map<string, number>();
  for (const e of model.elements) {
    if (e.group !== 'edges' || e.data.source === e.data.target) continue;
    degree.set(e.data.source, (degree.get(e.data.source) ?? 0) + 1);
    degree.set(e.data.target, (degree.get(e.data.target) ?? 0) + 1);
  }
  let best: GraphNode | undefined;
  let bestScore = 0;
  for (const node of model.elements) {
    if (node.group !== 'nodes') continue;
    // Edges count double so a cycle only breaks ties.
    const score = 2 * (degree.get(node.data.id) ?? 0) + (node.classes.includes('cycle') ? 1 : 0);
    if (score > bestScore || (score === bestScore && best !== undefined && score > 0 && node.data.label < best.data.label)) {
      best = node;
      bestScore = score;
    }
  }
  return best?.data.id;
}

/** The node ids a scope covers, before any search. */
function scopeNodes(nodes: readonly GraphNode[], edges: readonly GraphEdge[], scope: Scope): Set<string> {
  switch (scope.kind) {
    case 'workspace':
      return new Set(nodes.map((n) => n.data.id));
    case 'file': {
      const seeds = new Set(nodes.filter((n) => n.data.files?.includes(scope.uri)).map((n) => n.data.id));
      for (const edge of edges) {
        if (edge.data.files?.includes(scope.uri)) {
          seeds.add(edge.data.source);
          seeds.add(edge.data.target);
        }
      }
      return reach(seeds, edges);
    }
    case 'lock':
      return neighbourhood(new Set([scope.id]), edges);
    case 'cycle':
      return neighbourhood(new Set(scope.nodes), edges);
  }
}

/** `seeds` and every node an edge leads to from them, transitively. */
export function reach(seeds: ReadonlySet<string>, edges: readonly GraphEdge[]): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of edges) (out.get(e.data.source) ?? out.set(e.data.source, []).get(e.data.source)!).push(e.data.target);
  const seen = new Set(seeds);
  const work = [...seeds];
  while (work.length > 0) {
    for (const next of out.get(work.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        work.push(next);
      }
    }
  }
  return seen;
}

/** `centre` and the nodes one edge away in either direction, optionally only among `within`. */
function neighbourhood(centre: ReadonlySet<string>, edges: readonly GraphEdge[], within?: ReadonlySet<string>): Set<string> {
  const result = new Set(centre);
  for (const e of edges) {
    if (within && !(within.has(e.data.source) && within.has(e.data.target))) continue;
    if (centre.has(e.data.source)) result.add(e.data.target);
    if (centre.has(e.data.target)) result.add(e.data.source);
  }
  return result;
}

function matchesQuery(node: GraphNode, query: string): boolean {
  const haystack = [node.data.label, node.data.kind, node.data.owner ?? '', ...(node.data.files ?? []).map((f) => decodeURIComponent(f))];
  return haystack.some((text) => text.toLowerCase().includes(query));
}

function sameSet(list: readonly string[], set: ReadonlySet<string>): boolean {
  return list.length === set.size && list.every((id) => set.has(id));
}

/** The edges split into weakly connected groups, each in the order the edges came. */
function connectedComponents(edges: readonly GraphEdge[]): GraphEdge[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const e of edges) {
    for (const id of [e.data.source, e.data.target]) if (!parent.has(id)) parent.set(id, id);
    const a = find(e.data.source);
    const b = find(e.data.target);
    if (a !== b) parent.set(a, b);
  }
  const groups = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    const root = find(e.data.source);
    (groups.get(root) ?? groups.set(root, []).get(root)!).push(e);
  }
  return [...groups.values()];
}
