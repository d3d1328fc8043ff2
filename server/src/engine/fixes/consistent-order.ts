/**
 * Which way round a cycle of the lock-order graph is "wrong": the program's consistent order of its locks (declared
 * ranks, then what most acquisitions do, then declaration order), and so which edges of the cycle close it. The
 * `lock-order` rule reports only the acquisitions that close a cycle, and its fixes move them to that order.
 */
import { rankOf, type OrderEdge } from '../model/lock-graph.js';
import type { Value } from '../model/values.js';
import type { DeadboltConfig } from '../types.js';

/** Whether taking `first` then `second` is the program's consistent order (ranks, then majority, then declaration order). */
export function isConsistent(first: Value, second: Value, edges: readonly OrderEdge[], config: DeadboltConfig): boolean {
  const r1 = rankOf(first, config);
  const r2 = rankOf(second, config);
  if (r1 !== undefined && r2 !== undefined && r1 !== r2) return r1 < r2;
  const count = (from: Value, to: Value): number =>
    edges.filter((e) => e.from.id === from.id && e.to.id === to.id).reduce((n, e) => n + e.chains.length, 0);
  const forward = count(first, second);
  const backward = count(second, first);
  if (forward !== backward) return forward > backward;
  return compareDeclarations(first, second) < 0;
}

/** Declaration order: by file, then position; locks without a declaration by name. */
export function compareDeclarations(a: Value, b: Value): number {
  const da = a.declaration;
  const db = b.declaration;
  if (!da || !db) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const fa = da.getSourceFile().getFilePath();
  const fb = db.getSourceFile().getFilePath();
  if (fa !== fb) return fa < fb ? -1 : 1;
  return da.getStart() - db.getStart() || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * The edges of one cycle that close it: those running against the consistent order. A cycle of two has exactly one
 * (the pair's two orders are compared directly, so the majority counts). A longer cycle is ordered by ranks when every
 * lock has one; else it is broken at the edge the program takes least often (fewest acquisition chains), the one that
 * disagrees with the order most of its code follows; a tie is broken by declaration order, in which at least one
 * edge of any cycle runs backwards.
 */
export function closingEdges(cycleEdges: readonly OrderEdge[], config: DeadboltConfig): OrderEdge[] {
  if (cycleEdges.length === 1) return [...cycleEdges];
  if (cycleEdges.length === 2) {
    const [e1, e2] = cycleEdges as [OrderEdge, OrderEdge];
    return [isConsistent(e1.from, e1.to, cycleEdges, config) ? e2 : e1];
  }
  const ranks = cycleEdges.map((e) => rankOf(e.from, config));
  if (ranks.every((r) => r !== undefined) && new Set(ranks).size === ranks.length) {
    return cycleEdges.filter((e) => !(rankOf(e.from, config)! < rankOf(e.to, config)!));
  }
  const fewest = Math.min(...cycleEdges.map((e) => e.chains.length));
  const least = cycleEdges.filter((e) => e.chains.length === fewest);
  if (least.length === 1) return least;
  const backwards = least.filter((e) => compareDeclarations(e.from, e.to) >= 0);
  return backwards.length > 0 ? backwards : cycleEdges.filter((e) => compareDeclarations(e.from, e.to) >= 0);
}

/** The locks of a cycle sorted into the consistent order, for a `lockAll` list that reads in that order. */
export function orderedPair(first: Value, second: Value, edges: readonly OrderEdge[], config: DeadboltConfig): [Value, Value] {
  return isConsistent(first, second, edges, config) ? [first, second] : [second, first];
}
