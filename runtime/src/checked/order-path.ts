/**
 * What checked mode knows about lock orders, as pure functions: finding the recorded chain that a new order would
 * close into a cycle, and the sentence that describes one step of a chain. Checked mode (graph.ts, order.ts) uses
 * them inside the program; the debug adapter and the VS Code extension use them on the orders a trace reports, so a
 * potential deadlock reads the same whichever found it. Exported as `@deadbolt/runtime/checked/order-path`.
 */
import type { OrderStep } from '../errors.js';

/** A lock-order graph as adjacency: from -> (to -> what the edge carries). */
export type OrderAdjacency<E> = ReadonlyMap<number, ReadonlyMap<number, E>>;

/** Breadth-first search for a path start -> goal; returns what each edge along it carries, in order. */
export function findOrderPath<E>(out: OrderAdjacency<E>, start: number, goal: number): E[] | undefined {
  const via = new Map<number, { prev: number; edge: E }>();
  const queue = [start];
  const seen = new Set([start]);
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const [next, edge] of out.get(node) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      via.set(next, { prev: node, edge });
      if (next === goal) {
        const edges: E[] = [];
        for (let at = goal; at !== start; ) {
          const step = via.get(at)!;
          edges.unshift(step.edge);
          at = step.prev;
        }
        return edges;
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** "worker 2 took Mutex 'b' (#2) at f (a.ts:9:3) while holding Mutex 'a' (#1) (taken at g (a.ts:7:3))". */
export function describeOrderStep(step: OrderStep): string {
  return `${step.thread} took ${step.taken} at ${step.takenAt} while holding ${step.held} (taken at ${step.heldAt})`;
}
