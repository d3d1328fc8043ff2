/**
 * Turns the static lock-order graph the language server computes into drawable elements: one node per lock,
 * one edge per "taken while holding" pair labelled with where the inner lock was taken, cycles marked.
 */
import type { LockEdge, SourceLocation, StaticLockGraph } from '../protocol/index.js';
import { cyclePairs, pairKey, shortSite, type GraphElement, type GraphModel } from './elements.js';

/** The site an edge stands for: where its inner lock was taken on the first chain (the last step of that chain). */
export function acquisitionSite(edge: LockEdge): SourceLocation | undefined {
  for (const chain of edge.chains) {
    const last = chain.steps[chain.steps.length - 1];
    if (last) return last.location;
  }
  return undefined;
}

/** The headline names the cycles when there are at most this many. */
const MAX_NAMED_CYCLES = 2;

export function staticModel(graph: StaticLockGraph): GraphModel {
  const inCycle = new Set(graph.cycles.flat());
  const cycleEdges = cyclePairs(graph.cycles);
  const known = new Set(graph.nodes.map((n) => n.id));
  const elements: GraphElement[] = [];

  for (const node of graph.nodes) {
    const rank = node.rank === undefined ? '' : ` (rank ${node.rank})`;
    elements.push({
      group: 'nodes',
      data: {
        id: node.id,
        label: node.name,
        kind: node.kind,
        ...(node.declaration ? { location: node.declaration } : {}),
        tooltip: `${node.kind} ${node.name}${rank}${node.declaration ? ` declared at ${shortSite(node.declaration)}` : ''}`,
        ...(node.declaration ? { files: [node.declaration.uri] } : {}),
        ...(node.owner !== undefined ? { owner: node.owner } : ownerOf(node.name)),
      },
      classes: ['lock', inCycle.has(node.id) ? 'cycle' : ''].filter(Boolean),
    });
  }

  graph.edges.forEach((edge, index) => {
    // An edge to a lock the server did not list has nowhere to be drawn; skip it rather than lose the drawing.
    if (!known.has(edge.from) || !known.has(edge.to)) return;
    const site = acquisitionSite(edge);
    const more = edge.chains.length > 1 ? ` (+${edge.chains.length - 1})` : '';
    const threads = [...new Set(edge.chains.map((c) => c.thread).filter((t): t is string => Boolean(t)))];
    elements.push({
      group: 'edges',
      data: {
        id: `e${index}:${edge.from}->${edge.to}`,
        source: edge.from,
        target: edge.to,
        label: site ? `${shortSite(site)}${more}` : '',
        ...(site ? { location: site } : {}),
        files: [...new Set(edge.chains.flatMap((c) => c.steps.map((s) => s.location.uri)))],
        tooltip:
          `${edge.to} taken while holding ${edge.from}` +
          (threads.length > 0 ? ` on ${threads.join(', ')}` : '') +
          edge.chains.map((c) => `\n  ${c.steps.map((s) => `${s.message} (${shortSite(s.location)})`).join(' -> ')}`).join(''),
      },
      classes: ['order', cycleEdges.has(pairKey(edge.from, edge.to)) ? 'cycle' : ''].filter(Boolean),
    });
  });

  const cycleNames = graph.cycles.map((cycle) =>
    cycle.map((id) => graph.nodes.find((n) => n.id === id)?.name ?? id).join(' -> '),
  );
  return {
    elements,
    cycles: graph.cycles.length,
    cycleNodes: [...inCycle],
    cycleList: graph.cycles.map((cycle) => [...cycle]),
    // Every cycle is drawn below with its own heading; past two, naming them all here would push the drawing away.
    headline:
      graph.cycles.length === 0
        ? ''
        : graph.cycles.length > MAX_NAMED_CYCLES
          ? `Potential deadlocks: ${graph.cycles.length} lock-order cycles, each drawn first below`
          : `Potential deadlock${graph.cycles.length > 1 ? 's' : ''}: ${cycleNames.map((c) => `${c} -> ${c.split(' -> ')[0]}`).join('; ')}`,
  };
}

/**
 * The class a lock belongs to when the graph does not say (`owner`), read from its name: the engine names a field
 * lock of a class `Class.field`, and a capitalised first segment is how a reader tells a class from an object.
 */
function ownerOf(name: string): { owner?: string } {
  const dot = name.indexOf('.');
  if (dot <= 0) return {};
  const first = name.slice(0, dot);
  return /^[A-Z]/.test(first) ? { owner: first } : {};
}
