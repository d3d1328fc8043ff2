/**
 * The rows of the Locks view, from a live graph: each thread (and async task) that waits or holds, with the lock it
 * waits for and who holds that, and the locks it holds, each with the line that took or awaits it; then the
 * potential deadlocks. Pure, so it is unit-tested.
 */
import type { LiveLockGraph, SourceLocation } from '@deadbolt/server/protocol';

export interface Row {
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon: string;
  location?: SourceLocation;
  children?: Row[];
}

/** Threads that wait or hold first, then potential deadlocks; idle threads and free locks are left out. */
export function rowsOf(graph: LiveLockGraph): Row[] {
  const lockName = new Map(graph.locks.map((l) => [l.id, l.name]));
  const threadName = new Map(graph.threads.map((t) => [t.id, t.name]));
  const inCycle = new Set(graph.cycles.flatMap((c) => c.threads));
  const rows: Row[] = [];
  for (const thread of graph.threads) {
    if (thread.state === 'exited') continue;
    const children: Row[] = [];
    if (thread.waitingFor !== undefined) {
      const holders = graph.locks.find((l) => l.id === thread.waitingFor)?.holders.filter((h) => h !== thread.id) ?? [];
      children.push({
        label: `waits for ${lockName.get(thread.waitingFor) ?? thread.waitingFor}`,
        description: holders.length > 0 ? `held by ${holders.map((h) => threadName.get(h) ?? String(h)).join(', ')}` : 'held by nobody',
        icon: 'watch',
        ...(thread.waitingAt !== undefined ? { location: thread.waitingAt } : {}),
      });
    }
    for (const lock of graph.locks) {
      if (!lock.holders.includes(thread.id)) continue;
      const site = lock.heldAt?.[thread.id];
      children.push({ label: `holds ${lock.name}`, icon: 'lock', ...(site !== undefined ? { location: site } : {}) });
    }
    if (children.length === 0) continue;
    rows.push({
      label: thread.name,
      description: inCycle.has(thread.id) ? 'deadlocked' : thread.state,
      icon: inCycle.has(thread.id) ? 'error' : thread.state === 'waiting' ? 'debug-pause' : 'debug-start',
      children,
    });
  }
  for (const found of graph.potentialDeadlocks ?? []) {
    rows.push({
      label: `Potential deadlock: ${found.description}`,
      icon: 'warning',
      tooltip: 'Locks taken in orders that can deadlock, whether or not this run did',
      children: found.steps.map((step) => ({
        label: `${step.thread} takes ${lockName.get(step.taken) ?? step.taken}`,
        description: `while holding ${lockName.get(step.held) ?? step.held}`,
        icon: 'arrow-right',
        ...(step.takenAt[0] !== undefined ? { location: step.takenAt[0].location } : {}),
      })),
    });
  }
  return rows;
}
