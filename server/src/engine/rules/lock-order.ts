/**
 * Rule `lock-order`: a cycle in the lock-order graph is a potential deadlock. Each acquisition that closes a cycle
 * (takes its locks against the program's consistent order, `fixes/consistent-order.ts`) is reported once, naming
 * every lock of the cycle, with every chain of the cycle as related locations; the acquisitions that only open it
 * are not. An edge against declared ranks is reported even without a cycle, once.
 */
import type { Rule, RuleContext } from '../rule.js';
import type { RelatedLocation } from '../types.js';
import { spanOf } from '../span.js';
import { chainSite, chainSteps, edgeKey, rankOf, type OrderChain, type OrderEdge } from '../model/lock-graph.js';
import { reorderFixes } from '../fixes/reorder-locks.js';
import { CONDITION_WAITS } from '../model/lock-calls.js';
import { closingEdges } from '../fixes/consistent-order.js';
import { lockIdentityName, lockName } from '../model/lock-names.js';
import type { Value } from '../model/values.js';
import { isAwaitableApi } from '../model/lock-models.js';

export const lockOrder: Rule = {
  id: 'lock-order',
  description: 'Finds locks taken in inconsistent orders: a cycle in the lock-order graph is a potential deadlock.',
  defaultSeverity: 'error',
  check(context) {
    const graph = context.model.orderGraph();
    // A rank inversion that closes a cycle is reported once, by the cycle, with its ranks in the message.
    const reported = new Set<OrderEdge>();
    for (const cycle of graph.cycles) reportCycle(context, cycle, graph.edges, reported);
    for (const edge of graph.edges.values()) if (!reported.has(edge)) reportRankInversion(context, edge);
  },
};

function quoted(name: string): string {
  return `\`${name}\``;
}

function relatedOf(chains: readonly OrderChain[], except: OrderChain): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (const chain of chains) {
    const thread = chain.acquisition.root.thread;
    for (const step of chainSteps(chain)) {
      if (chain === except && step.node === chainSite(chain)) continue;
      related.push({ span: spanOf(step.node), message: `${thread}: ${step.message}` });
    }
  }
  return related;
}

/** `other` for `other.mutex`: the object whose field a lock is, as the code names it. */
function receiverText(lock: Value): string {
  const dot = lock.name.lastIndexOf('.');
  return dot > 0 ? lock.name.slice(0, dot) : lock.name;
}

function rankNote(edge: OrderEdge, context: RuleContext): string {
  const fromRank = rankOf(edge.from, context.config);
  const toRank = rankOf(edge.to, context.config);
  if (fromRank === undefined || toRank === undefined || toRank > fromRank) return '';
  return ` Their ranks say so too: ${quoted(lockName(edge.to))} (rank ${toRank}) must be taken before ${quoted(lockName(edge.from))} (rank ${fromRank}).`;
}

function reportCycle(context: RuleContext, cycle: readonly string[], edges: ReadonlyMap<string, OrderEdge>, reported: Set<OrderEdge>): void {
  const cycleEdges: OrderEdge[] = cycle.map((from, i) => edges.get(edgeKey(from, cycle[(i + 1) % cycle.length]!))!);
  const names = cycleEdges.map((e) => quoted(lockIdentityName(e.from)));
  const allChains = cycleEdges.flatMap((e) => e.chains);
  const selfLoop = cycle.length === 1;
  if (sharedThroughout(cycleEdges)) return;
  for (const edge of closingEdges(cycleEdges, context.config)) {
    if (rankNote(edge, context)) reported.add(edge);
    for (const chain of edge.chains) {
      const site = chainSite(chain);
      const taken = CONDITION_WAITS.has(chain.acquisition.method) ? `is taken back by \`${chain.acquisition.method}()\`` : 'is taken';
      const instance = chain.acquisition.lock.instance;
      const message = selfLoop && instance
        ? `Potential deadlock: ${quoted(lockName(chain.acquisition.lock))} of ${quoted(receiverText(chain.acquisition.lock))} is taken while holding it of ${quoted(receiverText(chain.held.lock))}, the same field of another ${instance.className}; two threads doing this with the objects swapped (\`a\` with \`b\`, \`b\` with \`a\`) wait on each other. Take both with \`lockAll\`, or in one global order (by an id).`
        : selfLoop
        ? `Potential deadlock: ${quoted(lockName(chain.acquisition.lock))} is taken while holding ${quoted(lockName(chain.held.lock))}, another lock of the same collection; threads doing this from different positions wait on each other in a circle. Take both with \`lockAll\`.`
        : cycle.length === 2
          ? `Potential deadlock: ${quoted(lockName(edge.to))} ${taken} while holding ${quoted(lockName(edge.from))}, but elsewhere they are taken in the other order (cycle ${[...names, names[0]].join(' -> ')}). Take these locks in one consistent order, or together with \`lockAll\`.`
          : `Potential deadlock: ${quoted(lockName(edge.to))} ${taken} while holding ${quoted(lockName(edge.from))}, which with acquisitions elsewhere closes the cycle ${[...names, names[0]].join(' -> ')}. Take these locks in one consistent order, or together with \`lockAll\`.`;
      // `lockAll` takes only the runtime's locks: other APIs get their own advice.
      const api = chain.acquisition.api ?? chain.held.api;
      const advice = api === 'web-locks' ? ' Nest the requests in one order everywhere, or request one name that covers both.' : '';
      const text = api ? message.replace(/, or together with `lockAll`\.$/, '.').replace(/ Take both with `lockAll`.*$/, '').replace(/\bthreads doing this\b/, isAwaitableApi(api) ? 'tasks doing this' : 'threads doing this') : message;
      context.report({
        rule: 'lock-order',
        message: text + rankNote(edge, context) + advice,
        span: spanOf(site),
        related: relatedOf(allChains, chain),
        fixes: reorderFixes(chain, cycleEdges, context.config, selfLoop, context.model),
      });
    }
  }
}

/**
 * A cycle deadlocks only if every lock on it is waited for in a mode its holder's mode excludes: a lock that is
 * both held and requested in shared mode on the cycle (Web Locks' `{ mode: 'shared' }`) lets the waiter in.
 */
function sharedThroughout(cycleEdges: readonly OrderEdge[]): boolean {
  return cycleEdges.some((outgoing, i) => {
    const incoming = cycleEdges[(i + cycleEdges.length - 1) % cycleEdges.length]!;
    return incoming.chains.every((c) => c.acquisition.shared) && outgoing.chains.every((c) => c.held.shared);
  });
}

function reportRankInversion(context: RuleContext, edge: OrderEdge): void {
  const fromRank = rankOf(edge.from, context.config);
  const toRank = rankOf(edge.to, context.config);
  if (fromRank === undefined || toRank === undefined || toRank > fromRank) return;
  for (const chain of edge.chains) {
    context.report({
      rule: 'lock-order',
      message: `${quoted(lockName(edge.to))} (rank ${toRank}) is taken while holding ${quoted(lockName(edge.from))} (rank ${fromRank}); ranked locks must be taken in increasing rank.`,
      span: spanOf(chainSite(chain)),
      related: relatedOf([chain], chain),
      fixes: reorderFixes(chain, [edge], context.config, false, context.model),
    });
  }
}
