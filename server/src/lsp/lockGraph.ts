/**
 * The answer to `deadbolt/lockGraph`: the static graphs of the analysed roots merged into one, optionally
 * narrowed to the locks and edges that touch the files or folders the client named.
 */
import { sep } from 'node:path';
import type { LockEdge, LockNode, SourceLocation, StaticLockGraph } from '../protocol/index.js';
import { uriToPath } from './files.js';

/** Merges graphs of several roots; a lock seen by two roots (a shared file) appears once. */
export function mergeGraphs(graphs: readonly StaticLockGraph[]): StaticLockGraph {
  if (graphs.length === 1) return graphs[0]!;
  if (graphs.length === 0) return { nodes: [], edges: [], cycles: [] };
  const nodes = new Map<string, LockNode>();
  const edges = new Map<string, LockEdge>();
  const cycles = new Map<string, string[]>();
  for (const graph of graphs) {
    for (const node of graph.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
    for (const edge of graph.edges) if (!edges.has(`${edge.from}\0${edge.to}`)) edges.set(`${edge.from}\0${edge.to}`, edge);
    for (const cycle of graph.cycles) cycles.set(cycle.join('\0'), cycle);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], cycles: [...cycles.values()] };
}

/**
 * Narrows `graph` to what touches `uris` (files or folders): locks declared there, edges with a step there, and
 * every cycle through such an edge in full, since half a deadlock is no explanation of it.
 */
export function filterGraph(graph: StaticLockGraph, uris: readonly string[]): StaticLockGraph {
  const prefixes = uris.map((uri) => uriToPath(uri) ?? uri);
  const inside = (location: SourceLocation | undefined): boolean => {
    if (location === undefined) return false;
    const path = uriToPath(location.uri) ?? location.uri;
    return prefixes.some((prefix) => path === prefix || path.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep));
  };
  const key = (from: string, to: string) => `${from}\0${to}`;
  const touching = new Set(
    graph.edges.filter((edge) => edge.chains.some((chain) => chain.steps.some((step) => inside(step.location)))).map((e) => key(e.from, e.to)),
  );
  const cycleEdges = (cycle: string[]) => cycle.map((id, i) => key(id, cycle[(i + 1) % cycle.length]!));
  const cycles = graph.cycles.filter((cycle) => cycleEdges(cycle).some((k) => touching.has(k)));
  const keptEdges = new Set([...touching, ...cycles.flatMap(cycleEdges)]);
  const edges = graph.edges.filter((edge) => keptEdges.has(key(edge.from, edge.to)));
  const kept = new Set<string>(edges.flatMap((edge) => [edge.from, edge.to]));
  for (const node of graph.nodes) if (inside(node.declaration)) kept.add(node.id);
  return { nodes: graph.nodes.filter((node) => kept.has(node.id)), edges, cycles };
}
