/**
 * The observed lock-order graph of a traced program, as lockdep keeps it: an edge A -> B for every "took B while
 * holding A" the trace reports, from any thread or async task. An edge that closes a cycle is a potential deadlock,
 * reported the first time both orders have been seen, whether or not the run deadlocks. Pure, like the wait-for graph;
 * the path search is checked mode's (`@deadbolt/runtime/checked/order-path`), so both find the same chains.
 */
import { findOrderPath } from '@deadbolt/runtime/checked/order-path';
import type { TraceFrame } from '@deadbolt/runtime/trace';

/** One observed order: `thread` took `taken` (at `takenAt`, a stack) while holding `held` (taken at `heldAt`). */
export interface OrderEdge {
  thread: number;
  held: number;
  taken: number;
  heldAt: TraceFrame[];
  takenAt: TraceFrame[];
}

/** A cycle of observed orders: `edges[i]` took `locks[i + 1]` (cyclically) while holding `locks[i]`. */
export interface PotentialDeadlock {
  locks: number[];
  /** The first edge is the acquisition that closed the cycle; the others are the chain recorded before it. */
  edges: OrderEdge[];
}

export class LockOrderGraph {
  /** held -> (taken -> the first edge seen in that order). */
  private readonly out = new Map<number, Map<number, OrderEdge>>();
  private readonly found: PotentialDeadlock[] = [];
  /** Cycles already reported, by their set of locks, so a cycle closed again by another thread is one report. */
  private readonly reported = new Set<string>();

  /** Records an order; returns the potential deadlock it reveals, if it closes a cycle not reported before. */
  add(edge: OrderEdge): PotentialDeadlock | undefined {
    if (edge.held === edge.taken) return undefined;
    let targets = this.out.get(edge.held);
    if (targets?.has(edge.taken)) return undefined;
    // The chain already recorded from the lock being taken back to the one held: with this edge, a cycle.
    const chain = findOrderPath(this.out, edge.taken, edge.held);
    if (targets === undefined) this.out.set(edge.held, (targets = new Map()));
    targets.set(edge.taken, edge);
    if (chain === undefined) return undefined;
    const edges = [edge, ...chain];
    const locks = edges.map((e) => e.held);
    const key = [...locks].sort((a, b) => a - b).join(',');
    if (this.reported.has(key)) return undefined;
    this.reported.add(key);
    const found: PotentialDeadlock = { locks, edges };
    this.found.push(found);
    return found;
  }

  /** Every potential deadlock found so far, in the order they were found. */
  all(): readonly PotentialDeadlock[] {
    return this.found;
  }
}
