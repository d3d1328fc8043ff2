/** Runtime-wide settings: today only checked mode (`checkLockOrder`), also reachable as env DEADBOLT_CHECK=1. */

import { graph, setChecking } from './state.js';

export interface RuntimeConfig {
  /**
   * Record the order in which locks are taken, across all threads, and throw LockOrderViolation when an
   * acquisition would close a cycle (or break the rank rule), before it blocks. Turn it on in the main thread
   * before creating workers so they share one graph.
   */
  checkLockOrder?: boolean;
}

export function configure(config: RuntimeConfig): void {
  if (config.checkLockOrder !== undefined) setChecking(config.checkLockOrder);
}

/** Edges checked mode could not record because its shared graph is full (0 when all is well). */
export function droppedOrderEdges(): number {
  return graph?.dropped ?? 0;
}
