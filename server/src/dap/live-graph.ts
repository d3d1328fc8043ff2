/**
 * Converts the wait-for graph and the potential deadlocks of the lock-order graph into the `deadbolt/lockGraph` event
 * body the editor's panel draws (LiveLockGraph in the shared protocol module). Pure; thread ids are translated to the
 * adapter's DAP ids.
 */
import { pathToFileURL } from 'node:url';
import type { TraceFrame } from '@deadbolt/runtime/trace';
import type { ChainStep, LiveLockGraph, LivePotentialDeadlock, SourceLocation } from '../protocol/index.js';
import type { PotentialDeadlock } from './lock-order.js';
import { type Cycle, isTask, type WaitForGraph } from './wait-for-graph.js';

/** The DAP id of a program thread: the main thread (0) becomes 1, since some clients treat thread id 0 as "none". */
export function dapThreadId(programThread: number): number {
  return programThread + 1;
}

export function programThreadId(dapId: number): number {
  return dapId - 1;
}

export function locationOf(frame: TraceFrame): SourceLocation {
  const position = { line: Math.max(0, frame.line - 1), character: Math.max(0, frame.column - 1) };
  return { uri: pathToFileURL(frame.file).href, range: { start: position, end: position } };
}

/** A stack as chain steps, innermost first, each named by its function. */
export function stackSteps(frames: readonly TraceFrame[]): ChainStep[] {
  return frames.map((f) => ({ location: locationOf(f), message: f.name }));
}

/** "lockA -> lockB -> lockA": the locks of a potential deadlock in the order they are taken around the cycle. */
export function orderCycleText(graph: WaitForGraph, found: PotentialDeadlock): string {
  return [...found.locks, found.locks[0]!].map((l) => graph.lockLabel(l)).join(' -> ');
}

export function livePotentialDeadlock(graph: WaitForGraph, found: PotentialDeadlock): LivePotentialDeadlock {
  return {
    locks: found.locks.map(String),
    steps: found.edges.map((e) => ({
      thread: graph.threadLabel(e.thread),
      held: String(e.held),
      taken: String(e.taken),
      heldAt: stackSteps(e.heldAt),
      takenAt: stackSteps(e.takenAt),
    })),
    description: orderCycleText(graph, found),
  };
}

export function liveLockGraph(graph: WaitForGraph, cycles: Cycle[], deadlock: boolean, potential: readonly PotentialDeadlock[] = []): LiveLockGraph {
  const lockIds = new Set<number>(graph.allLocks().map((l) => l.id));
  for (const p of potential) p.locks.forEach((l) => lockIds.add(l));
  for (const t of graph.allThreads()) {
    for (const h of t.held) lockIds.add(h.lock);
    if (t.wait !== undefined) lockIds.add(t.wait.lock);
  }
  return {
    threads: graph.allThreads().map((t) => {
      const thread: LiveLockGraph['threads'][number] = { id: dapThreadId(t.id), name: isTask(t.id) ? graph.threadLabel(t.id) : t.name, state: t.state };
      if (t.state === 'waiting' && t.wait !== undefined) {
        thread.waitingFor = String(t.wait.lock);
        thread.waitingSince = t.wait.since;
        if (t.wait.frames[0] !== undefined) thread.waitingAt = locationOf(t.wait.frames[0]);
      }
      return thread;
    }),
    locks: [...lockIds].sort((a, b) => a - b).map((id) => {
      const info = graph.lock(id);
      const heldAt: Record<number, SourceLocation> = {};
      for (const holder of graph.holders(id)) {
        const site = graph.thread(holder)!.held.find((h) => h.lock === id)?.site;
        if (site !== undefined) heldAt[dapThreadId(holder)] = locationOf(site);
      }
      return {
        id: String(id),
        name: graph.lockLabel(id),
        kind: info?.kind ?? 'lock',
        holders: graph.holders(id).map(dapThreadId),
        waiters: graph.waiters(id).map(dapThreadId),
        heldAt,
      };
    }),
    cycles: cycles.map((c) => ({ threads: c.threads.map(dapThreadId), locks: c.locks.map(String), description: graph.describeCycle(c) })),
    deadlock,
    potentialDeadlocks: potential.map((p) => livePotentialDeadlock(graph, p)),
  };
}
