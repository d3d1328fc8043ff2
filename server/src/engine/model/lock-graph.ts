/**
 * The static lock-order graph: an edge A -> B for every place B is taken (blocking or async, never by a try)
 * while A is held, with the acquisition chains that show it; its cycles are potential deadlocks, and edges
 * against declared ranks are order violations even without a cycle.
 */
import { Node } from 'ts-morph';
import type { AcquisitionChain, ChainStep, LockNode, StaticLockGraph } from '../../protocol/index.js';
import type { DeadboltConfig } from '../types.js';
import { getOrInsert } from '../maps.js';
import { locationOf } from '../span.js';
import type { AcquisitionFact, Held } from './facts.js';
import { creationSite, lockIdentityName, lockName, lockOwner } from './lock-names.js';
import type { Value } from './values.js';

/** One way an edge arises: `held` was held when `acquisition` took the edge's target. */
export interface OrderChain {
  held: Held;
  acquisition: AcquisitionFact;
}

export interface OrderEdge {
  from: Value;
  to: Value;
  chains: OrderChain[];
}

export interface OrderGraph {
  nodes: Map<string, Value>;
  edges: Map<string, OrderEdge>;
  /** Elementary cycles as node ids, each starting at its smallest id; a self-loop is an array of locks taken pairwise. */
  cycles: string[][];
}

const MAX_CYCLES = 50;
const MAX_CYCLE_LENGTH = 8;
const MAX_CHAINS_PER_EDGE = 8;

export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * The identity a lock has in the order graph. A field of an instance the walk could not pin down is one node per
 * class field, its receiver as the index: `this.mutex` then `other.mutex` is then a self-loop between two
 * receivers, a potential cycle like two elements of one array (`a.transferTo(b)` while `b.transferTo(a)`).
 */
export function orderValue(lock: Value): Value {
  if (!lock.instance) return lock;
  const { owner, field, className, receiver } = lock.instance;
  return { ...lock, id: `inst:${owner}.${field}`, index: receiver, identityName: `${className}.${field}` };
}

/** An edge as one walk contributes it: the distinct chains the walk shows, in order, and the graph's key. */
export interface ContributedEdge extends OrderEdge {
  key: string;
}

/**
 * What one walk's acquisitions add to the order graph: its locks in first-seen order and its edges in first-seen
 * order, each with its first eight distinct chains. Kept with the walk's record, so after an edit only the walks that ran
 * again are converted; `buildOrderGraph` folds the contributions of all walks.
 */
export interface OrderContribution {
  nodes: Value[];
  edges: ContributedEdge[];
}

export function orderContribution(acquisitions: readonly AcquisitionFact[]): OrderContribution {
  const nodes: Value[] = [];
  const seen = new Set<string>();
  const edges: ContributedEdge[] = [];
  // Edges by source then target id: looking up two existing strings costs less than building a key per pair.
  const bySource = new Map<string, Map<string, ContributedEdge>>();
  for (const fact of acquisitions) {
    const lock = orderValue(fact.lock);
    if (!seen.has(lock.id)) {
      seen.add(lock.id);
      nodes.push(lock);
    }
    if (fact.mode === 'try') continue;
    // Re-taking a lock this thread already holds is re-entry (or a double-lock), never a wait behind another lock.
    if (reenters(fact)) continue;
    for (const held of fact.heldBefore) {
      if (held.group !== undefined && held.group === fact.group) continue;
      const from = orderValue(held.lock);
      if (from.id === lock.id && (from.index === undefined || from.index === lock.index)) continue;
      if (held.lock.kind === 'Condition') continue;
      if (inProvableOrder(from, lock)) continue;
      // (No getOrInsert here: a closure per pair of locks is what this loop must not allocate.)
      let targets = bySource.get(from.id);
      if (targets === undefined) {
        targets = new Map();
        bySource.set(from.id, targets);
      }
      let edge = targets.get(lock.id);
      if (edge === undefined) {
        edge = { key: edgeKey(from.id, lock.id), from, to: lock, chains: [] };
        targets.set(lock.id, edge);
        edges.push(edge);
      }
      // Eight per walk are enough: the graph keeps an edge's first eight, and two walks never share a chain (a
      // chain starts in its walk's own root body, and there is one walk per root and thread).
      if (edge.chains.length < MAX_CHAINS_PER_EDGE && !hasChain(edge, held, fact)) edge.chains.push({ held, acquisition: fact });
    }
  }
  return { nodes, edges };
}

/**
 * The order graph of the walks' contributions, in walk order: the same graph as one pass over all their
 * acquisitions (nodes and edges in first-seen order, each edge's first eight distinct chains), at the cost of a
 * pass over edges rather than over every pair of locks.
 */
export function buildOrderGraph(contributions: readonly OrderContribution[]): OrderGraph {
  const nodes = new Map<string, Value>();
  const edges = new Map<string, OrderEdge>();
  for (const contribution of contributions) {
    for (const lock of contribution.nodes) if (!nodes.has(lock.id)) nodes.set(lock.id, lock);
    for (const contributed of contribution.edges) {
      let edge = edges.get(contributed.key);
      if (edge === undefined) {
        edge = { from: contributed.from, to: contributed.to, chains: [] };
        edges.set(contributed.key, edge);
      }
      for (const chain of contributed.chains) {
        if (edge.chains.length >= MAX_CHAINS_PER_EDGE) break;
        if (!hasChain(edge, chain.held, chain.acquisition)) edge.chains.push(chain);
      }
    }
  }
  return { nodes, edges, cycles: findCycles(nodes, edges) };
}

/** Two elements of one collection whose indexes are a sorted pair, taken lower first: never part of a cycle. */
function inProvableOrder(from: Value, to: Value): boolean {
  const a = from.indexOrder;
  const b = to.indexOrder;
  return from.id === to.id && a !== undefined && b !== undefined && a.pair === b.pair && a.position < b.position;
}

// The two helpers below are plain loops: this graph is rebuilt after every edit, and a closure per pair of
// locks was most of what it allocated.

function reenters(fact: AcquisitionFact): boolean {
  for (const h of fact.heldBefore) {
    if (h.lock.id === fact.lock.id && (h.lock.index === undefined || h.lock.index === fact.lock.index)) return true;
  }
  return false;
}

/** The edge already shows this chain (same thread, same call sites). */
function hasChain(edge: OrderEdge, held: Held, fact: AcquisitionFact): boolean {
  for (const c of edge.chains) {
    if (c.acquisition.root.thread === fact.root.thread && sameStack(c.acquisition.stack, fact.stack) && sameStack(c.held.stack, held.stack)) return true;
  }
  return false;
}

/** Same call sites; compared from the acquisition end, where two chains usually differ. */
function sameStack(a: readonly Node[], b: readonly Node[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

function findCycles(nodes: ReadonlyMap<string, Value>, edges: ReadonlyMap<string, OrderEdge>): string[][] {
  const successors = new Map<string, string[]>();
  for (const edge of edges.values()) {
    const list = successors.get(edge.from.id);
    if (list) list.push(edge.to.id);
    else successors.set(edge.from.id, [edge.to.id]);
  }
  const ids = [...nodes.keys()].sort();
  const order = new Map(ids.map((id, i) => [id, i]));
  const cycles: string[][] = [];
  // Each cycle is found once, from its smallest node, visiting only larger nodes on the way.
  for (const start of ids) {
    const path: string[] = [start];
    const onPath = new Set(path);
    const visit = (node: string): void => {
      for (const next of successors.get(node) ?? []) {
        if (cycles.length >= MAX_CYCLES) return;
        if (next === start) cycles.push([...path]);
        else if (!onPath.has(next) && order.get(next)! > order.get(start)! && path.length < MAX_CYCLE_LENGTH) {
          path.push(next);
          onPath.add(next);
          visit(next);
          onPath.delete(next);
          path.pop();
        }
      }
    };
    visit(start);
  }
  return cycles;
}

/** The declared rank of a lock: `rank:` in its constructor, else `lockRanks` in the configuration by its name. */
export function rankOf(lock: Value, config: DeadboltConfig): number | undefined {
  if (lock.rank !== undefined) return lock.rank;
  const ranks = config.lockRanks;
  if (!ranks) return undefined;
  const short = lock.name.replace(/^this\./, '');
  return ranks[lockName(lock)] ?? ranks[lock.name] ?? ranks[short] ?? ranks[short.split('.').pop()!];
}

/** The name of what a call site calls, for chain messages: `transfer`, `this.helper`. */
export function callName(node: Node): string {
  if (Node.isCallExpression(node)) return node.getExpression().getText();
  return node.getText();
}

/** How long a prefix two stacks share before they part: the calls down to where the held lock was taken. */
function sharedPrefix(held: readonly Node[], taken: readonly Node[]): number {
  let common = 0;
  while (common < held.length - 1 && common < taken.length - 1 && held[common] === taken[common]) common++;
  return common;
}

/** Steps of one chain: the calls down to where `from` was taken, then the calls down to where `to` was taken. */
export function chainSteps(chain: OrderChain): { node: Node; message: string }[] {
  const held = chain.held.stack;
  const taken = chain.acquisition.stack;
  const common = sharedPrefix(held, taken);
  const steps: { node: Node; message: string }[] = [];
  const heldName = lockName(chain.held.lock);
  for (let i = 0; i < common; i++) steps.push({ node: held[i]!, message: `calls \`${callName(held[i]!)}\`` });
  for (let i = common; i < held.length - 1; i++) steps.push({ node: held[i]!, message: `calls \`${callName(held[i]!)}\`, which takes \`${heldName}\`` });
  steps.push({ node: held[held.length - 1]!, message: `takes \`${heldName}\`` });
  for (let i = common; i < taken.length - 1; i++) {
    // The call that took the held lock runs the rest as its callback (`m.runExclusive(fn)`): it is the step above.
    if (taken[i] === held[held.length - 1]) continue;
    steps.push({ node: taken[i]!, message: `calls \`${callName(taken[i]!)}\` while holding \`${heldName}\`` });
  }
  steps.push({ node: taken[taken.length - 1]!, message: `takes \`${lockName(chain.acquisition.lock)}\` while holding \`${heldName}\`` });
  return steps;
}

/**
 * Where a chain shows in the function it starts from: the acquisition, or the call that leads to it. When the
 * calls part inside a helper (a wrapper that runs the walk's callback under its lock), the first step back in the
 * walked function's own code is where it shows: `callback(tx)` under `runTx`, not the wrapper's `runExclusive`.
 */
export function chainSite(chain: OrderChain): Node {
  const taken = chain.acquisition.stack;
  const common = sharedPrefix(chain.held.stack, taken);
  const root = chain.acquisition.root.node;
  const inRoot = (node: Node): boolean => Node.isSourceFile(root) || (node.getSourceFile() === root.getSourceFile() && node.getStart() >= root.getStart() && node.getEnd() <= root.getEnd());
  for (let i = common; i < taken.length; i++) if (inRoot(taken[i]!)) return taken[i]!;
  // A callback run under the held lock (a method handed by reference to a wrapper) takes it again inside one call
  // of the walked function: that call is where it shows.
  if (taken[common] === chain.held.stack.at(-1) && common < taken.length - 1) for (let i = common - 1; i >= 0; i--) if (inRoot(taken[i]!)) return taken[i]!;
  return taken[common]!;
}

/**
 * Protocol chains by the facts they come from. A fact outlives an analysis when its walk is reused (its files
 * unchanged), and so does its chain: an edit then converts only the chains of the walks it re-ran.
 */
const protocolChains = new WeakMap<AcquisitionFact, WeakMap<Held, AcquisitionChain>>();

function protocolChain(chain: OrderChain): AcquisitionChain {
  const byHeld = getOrInsert(protocolChains, chain.acquisition, () => new WeakMap<Held, AcquisitionChain>());
  return getOrInsert(byHeld, chain.held, () => ({
    thread: chain.acquisition.root.thread,
    steps: chainSteps(chain).map((s): ChainStep => ({ location: locationOf(s.node), message: s.message })),
    // chainSteps lists the calls down to `from`'s acquisition first, so it is the last of the held stack's steps.
    heldStep: chain.held.stack.length - 1,
  }));
}

export function toStaticGraph(graph: OrderGraph, config: DeadboltConfig): StaticLockGraph {
  const nodes: LockNode[] = [...graph.nodes.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((lock) => {
      const node: LockNode = { id: lock.id, name: lockIdentityName(lock), kind: (lock.kind as LockNode['kind']) ?? 'Unknown' };
      const owner = lockOwner(lock);
      if (owner !== undefined) node.owner = owner;
      const rank = rankOf(lock, config);
      if (rank !== undefined) node.rank = rank;
      // Clicking a lock goes where it is created, not to some field or interface a handle passed through.
      const created = creationSite(lock);
      if (created) node.declaration = locationOf(created);
      return node;
    });
  const edges = [...graph.edges.values()].map((edge) => ({
    from: edge.from.id,
    to: edge.to.id,
    chains: edge.chains.map(protocolChain),
  }));
  return { nodes, edges, cycles: graph.cycles };
}
