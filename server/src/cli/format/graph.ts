/**
 * `deadbolt graph` output: the static lock-order graph as Graphviz dot, JSON (the StaticLockGraph contract) or a
 * Mermaid flowchart. Edges on a cycle are drawn red in dot and listed in the JSON's `cycles`.
 */
import type { StaticLockGraph } from '../../protocol/index.js';
import type { GraphFormat } from '../args.js';

export function formatGraph(graph: StaticLockGraph, format: GraphFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(graph, null, 2)}\n`;
    case 'dot':
      return toDot(graph);
    case 'mermaid':
      return toMermaid(graph);
  }
}

/** Edges that lie on some cycle, as `from\0to` keys. */
function cycleEdges(graph: StaticLockGraph): Set<string> {
  const keys = new Set<string>();
  for (const cycle of graph.cycles) {
    cycle.forEach((from, index) => keys.add(`${from}\0${cycle[(index + 1) % cycle.length]}`));
  }
  return keys;
}

function label(graph: StaticLockGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id);
  if (node === undefined) return id;
  return node.rank === undefined ? `${node.name} (${node.kind})` : `${node.name} (${node.kind}, rank ${node.rank})`;
}

/** Short stable ids (`n0`, `n1`, ...) in node order: lock ids hold absolute paths, which make output machine-specific. */
function shortIds(graph: StaticLockGraph): (id: string) => string {
  const ids = new Map(graph.nodes.map((node, index) => [node.id, `n${index}`]));
  return (id) => {
    if (!ids.has(id)) ids.set(id, `n${ids.size}`);
    return ids.get(id)!;
  };
}

function toDot(graph: StaticLockGraph): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const idOf = shortIds(graph);
  const onCycle = cycleEdges(graph);
  const lines = ['digraph locks {', '  rankdir=LR;', '  node [shape=box];'];
  for (const node of graph.nodes) lines.push(`  ${idOf(node.id)} [label=${quote(label(graph, node.id))}];`);
  for (const edge of graph.edges) {
    const attributes = [`label=${quote(`${edge.chains.length} chain${edge.chains.length === 1 ? '' : 's'}`)}`];
    if (onCycle.has(`${edge.from}\0${edge.to}`)) attributes.push('color=red', 'penwidth=2');
    lines.push(`  ${idOf(edge.from)} -> ${idOf(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function toMermaid(graph: StaticLockGraph): string {
  // Mermaid ids must be simple words: number the nodes and put the names in labels.
  const idOf = shortIds(graph);
  const text = (value: string) => value.replace(/"/g, '#quot;');
  const onCycle = cycleEdges(graph);
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${idOf(node.id)}["${text(label(graph, node.id))}"]`);
  const red: number[] = [];
  graph.edges.forEach((edge, index) => {
    lines.push(`  ${idOf(edge.from)} --> ${idOf(edge.to)}`);
    if (onCycle.has(`${edge.from}\0${edge.to}`)) red.push(index);
  });
  if (red.length > 0) lines.push(`  linkStyle ${red.join(',')} stroke:red,stroke-width:2px`);
  return `${lines.join('\n')}\n`;
}
