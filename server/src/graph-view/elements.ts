/**
 * The element shape both graph models (static lock order, live wait-for) produce, kept free of any drawing
 * library's types so the models, the view and the layout can be unit-tested in Node without a DOM.
 */
import type { SourceLocation } from '../protocol/index.js';

export interface GraphNode {
  group: 'nodes';
  data: {
    id: string;
    label: string;
    kind: string;
    location?: SourceLocation;
    tooltip: string;
    /** The file URIs this node belongs to (its declaration): the "current file" view and grouping by file read them. */
    files?: string[];
    /** The class that owns the lock ("Cache" for `Cache.dataLock`), for grouping by class. */
    owner?: string;
  };
  classes: string[];
}

export interface GraphEdge {
  group: 'edges';
  data: {
    id: string;
    source: string;
    target: string;
    label: string;
    location?: SourceLocation;
    tooltip: string;
    /** The file URIs of every step that shows this edge: an edge belongs to each file one of its chains passes through. */
    files?: string[];
  };
  classes: string[];
}

export type GraphElement = GraphNode | GraphEdge;

/** The elements of one drawing plus the facts the panel reports about it. */
export interface GraphModel {
  elements: GraphElement[];
  cycles: number;
  cycleNodes: string[];
  /** Each cycle as the node ids along it, in order; the view lays each one out on its own. */
  cycleList?: string[][];
  /** A sentence shown above the graph (e.g. the deadlock description), empty when there is nothing to say. */
  headline: string;
  /** Potential deadlocks (cycles of observed lock orders) marked in a live graph. */
  hazards?: number;
  /** How the view names its sections for this kind of graph; lock-order wording when absent. */
  words?: { others: string; isolated: string; isolatedItems: [one: string, many: string] };
}

/** "file.ts:12" for a location: the last path segment and the 1-based line, as a person reads it. */
export function shortSite(location: SourceLocation): string {
  return `${baseName(location.uri)}:${location.range.start.line + 1}`;
}

/** The last path segment of a URI or path, decoded. */
export function baseName(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z]+:\/\//i, ''));
  return path.slice(path.lastIndexOf('/') + 1);
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
