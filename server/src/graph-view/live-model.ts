/**
 * Turns the live wait-for graph a Deadbolt debug session reports into drawable elements: threads and locks as
 * nodes, "held by" edges from a lock to each holder, "waits for" edges from each waiter to the lock, and the
 * deadlock cycle marked so the panel can highlight it. Potential deadlocks (cycles of observed lock orders) are
 * marked too: their locks, and a "then takes" edge from each held lock to the lock taken while holding it.
 */
import type { LiveLockGraph } from '../protocol/index.js';
import { type GraphElement, type GraphModel } from './elements.js';

/** Node ids of threads and locks live in one drawing, so they get prefixes that cannot collide. */
export const threadNodeId = (id: number): string => `thread:${id}`;
export const lockNodeId = (id: string): string => `lock:${id}`;

export function liveModel(graph: LiveLockGraph): GraphModel {
  const cycleNodes = new Set<string>();
  for (const cycle of graph.cycles) {
    cycle.threads.forEach((t) => cycleNodes.add(threadNodeId(t)));
    cycle.locks.forEach((l) => cycleNodes.add(lockNodeId(l)));
  }
  const threadNames = new Map(graph.threads.map((t) => [t.id, t.name]));
  const waits = new Map(graph.threads.filter((t) => t.waitingFor !== undefined).map((t) => [t.id, t.waitingFor!]));
  const lockNames = new Map(graph.locks.map((l) => [l.id, l.name]));
  const elements: GraphElement[] = [];

  for (const thread of graph.threads) {
    elements.push({
      group: 'nodes',
      data: {
        id: threadNodeId(thread.id),
        label: thread.name,
        kind: 'thread',
        tooltip: `${thread.name}: ${thread.state}` +
          (thread.waitingFor === undefined ? '' : ` for ${lockNames.get(thread.waitingFor) ?? thread.waitingFor}`),
      },
      classes: ['thread', thread.state, cycleNodes.has(threadNodeId(thread.id)) ? 'cycle' : ''].filter(Boolean),
    });
  }
  const threadIds = new Set(graph.threads.map((t) => t.id));

  for (const lock of graph.locks) {
    const lockId = lockNodeId(lock.id);
    const holders = lock.holders.filter((h) => threadIds.has(h));
    const firstSite = holders.map((h) => lock.heldAt?.[h]).find((l) => l !== undefined);
    elements.push({
      group: 'nodes',
      data: {
        id: lockId,
        label: lock.name,
        kind: lock.kind,
        ...(firstSite ? { location: firstSite } : {}),
        tooltip: `${lock.kind} ${lock.name}: held by ${holders.map((h) => threadNames.get(h)).join(', ') || 'nobody'}`,
      },
      classes: ['lock', holders.length > 0 ? 'held' : 'free', cycleNodes.has(lockId) ? 'cycle' : ''].filter(Boolean),
    });
    for (const holder of holders) {
      const site = lock.heldAt?.[holder];
      const threadId = threadNodeId(holder);
      // In a wait-for cycle every lock is held by a cycle thread; the holding edge is part of the cycle when both ends are.
      const onCycle = cycleNodes.has(lockId) && cycleNodes.has(threadId);
      elements.push({
        group: 'edges',
        data: {
          id: `held:${lock.id}:${holder}`,
          source: lockId,
          target: threadId,
          label: 'held by',
          ...(site ? { location: site } : {}),
          tooltip: `${lock.name} is held by ${threadNames.get(holder)}`,
        },
        classes: ['holds', onCycle ? 'cycle' : ''].filter(Boolean),
      });
    }
    for (const waiter of lock.waiters.filter((w) => threadIds.has(w))) {
      const threadId = threadNodeId(waiter);
      const onCycle = cycleNodes.has(lockId) && cycleNodes.has(threadId);
      elements.push({
        group: 'edges',
        data: {
          id: `waits:${waiter}:${lock.id}`,
          source: threadId,
          target: lockId,
          label: 'waits for',
          tooltip: `${threadNames.get(waiter)} waits for ${lock.name}`,
        },
        classes: ['waits', onCycle ? 'cycle' : ''].filter(Boolean),
      });
    }
  }

  const potential = graph.potentialDeadlocks ?? [];
  const lockIds = new Set(graph.locks.map((l) => l.id));
  const orders = new Set<string>();
  for (const found of potential) {
    for (const step of found.steps) {
      const key = `order:${step.held}:${step.taken}`;
      if (orders.has(key) || !lockIds.has(step.held) || !lockIds.has(step.taken)) continue;
      orders.add(key);
      elements.push({
        group: 'edges',
        data: {
          id: key,
          source: lockNodeId(step.held),
          target: lockNodeId(step.taken),
          label: 'then takes',
          ...(step.takenAt[0] ? { location: step.takenAt[0].location } : {}),
          tooltip: `${step.thread} takes ${lockNames.get(step.taken) ?? step.taken} while holding ${lockNames.get(step.held) ?? step.held}: potential deadlock ${found.description}`,
        },
        classes: ['order', 'hazard'],
      });
    }
  }
  const hazardLocks = new Set(potential.flatMap((p) => p.locks.map(lockNodeId)));
  for (const element of elements) if (element.group === 'nodes' && hazardLocks.has(element.data.id)) element.classes.push('hazard');

  const description = graph.cycles.map((c) => c.description).join('; ');
  const hazards = potential.map((p) => p.description).join('; ');
  return {
    elements,
    cycles: graph.cycles.length,
    cycleNodes: [...cycleNodes],
    words: { others: 'Other holds and waits', isolated: 'with nothing held or awaited', isolatedItems: ['idle thread or free lock', 'idle threads and free locks'] },
    // A wait-for cycle alternates threads and the locks they wait for: t1 waits for l1, held by t2, ... The lock
    // is read from the thread's own wait when it has one, which is what the cycle's `locks[i]` stands for.
    cycleList: graph.cycles.map((c) => c.threads.flatMap((t, i) => {
      const lock = waits.get(t) ?? c.locks[i];
      return [threadNodeId(t), ...(lock === undefined ? [] : [lockNodeId(lock)])];
    })),
    headline: graph.deadlock
      ? `Deadlock: ${description || 'threads wait for each other'}`
      : description || (hazards === '' ? '' : `Potential deadlock: ${hazards} (locks taken in orders that can deadlock)`),
    hazards: potential.length,
  };
}
