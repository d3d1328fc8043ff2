/**
 * The element shape both graph models produce: a subset of cytoscape's ElementDefinition, kept free of
 * cytoscape's types so the models can be unit-tested in Node without a DOM.
 */
import type { SourceLocation } from '@deadbolt/server/protocol';

export interface GraphNode {
  group: 'nodes';
  data: { id: string; label: string; kind: string; location?: SourceLocation; tooltip: string };
  classes: string[];
}

export interface GraphEdge {
  group: 'edges';
  data: { id: string; source: string; target: string; label: string; location?: SourceLocation; tooltip: string };
  classes: string[];
}

export type GraphElement = GraphNode | GraphEdge;

/** The elements of one drawing plus the facts the panel reports about it. */
export interface GraphModel {
  elements: GraphElement[];
  cycles: number;
  cycleNodes: string[];
  /** A sentence shown above the graph (e.g. the deadlock description), empty when there is nothing to say. */
  headline: string;
}

/** "file.ts:12" for a location: the last path segment and the 1-based line, as a person reads it. */
export function shortSite(location: SourceLocation): string {
  const path = decodeURIComponent(location.uri.replace(/^[a-z]+:\/\//i, ''));
  const file = path.slice(path.lastIndexOf('/') + 1);
  return `${file}:${location.range.start.line + 1}`;
}

/** The pairs (a, b) that a cycle [a, b, c] closes: a->b, b->c and c->a, keyed "a\u0000b" for set lookups. */
export function cyclePairs(cycles: readonly (readonly string[])[]): Set<string> {
  const pairs = new Set<string>();
  for (const cycle of cycles) {
    for (let i = 0; i < cycle.length; i++) {
      pairs.add(pairKey(cycle[i]!, cycle[(i + 1) % cycle.length]!));
    }
  }
  return pairs;
}

export function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
