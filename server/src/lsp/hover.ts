/**
 * Hover on a lock: its name, kind and rank, where it is taken, and which locks are taken while it is held,
 * all read from the static lock graph of the last analysis (the graph carries every position needed).
 */
import type { Hover, Position } from 'vscode-languageserver/node';
import type { LockEdge, LockNode, SourceLocation, StaticLockGraph } from '../protocol/index.js';
import { sameFile } from './files.js';

function contains(location: SourceLocation | undefined, uri: string, position: Position): boolean {
  if (location === undefined || !sameFile(location.uri, uri)) return false;
  const { start, end } = location.range;
  const afterStart = position.line > start.line || (position.line === start.line && position.character >= start.character);
  const beforeEnd = position.line < end.line || (position.line === end.line && position.character <= end.character);
  return afterStart && beforeEnd;
}

/**
 * Where `edge.from` was taken (the chain's `heldStep`) and where `edge.to` was taken (its last step). The chain's
 * first step is often a call that leads there (`calls transfer`), which is no acquisition of either lock.
 */
function takenAt(edge: LockEdge): { from: SourceLocation[]; to: SourceLocation[] } {
  const from: SourceLocation[] = [];
  const to: SourceLocation[] = [];
  for (const chain of edge.chains) {
    const held = chain.heldStep === undefined ? undefined : chain.steps[chain.heldStep];
    const last = chain.steps[chain.steps.length - 1];
    if (held !== undefined && chain.heldStep! < chain.steps.length - 1) from.push(held.location);
    if (last !== undefined) to.push(last.location);
  }
  return { from, to };
}

/** Gives the text of the file behind a URI, for reading the identifier a lock is declared with. */
export type TextOf = (uri: string) => string | undefined;

/** The identifier a declaration binds (`accountsLock` in `export const accountsLock = new Mutex(...)`). */
function declaredIdentifier(location: SourceLocation, textOf: TextOf): string | undefined {
  const text = textOf(location.uri);
  if (text === undefined) return undefined;
  const lines = text.split('\n').slice(location.range.start.line, location.range.end.line + 1);
  const slice = lines.join('\n').slice(location.range.start.character);
  return /(?:^|[\s.])([\p{ID_Start}$_][\p{ID_Continue}$]*)\s*[=:]/u.exec(slice)?.[1];
}

/**
 * The lock at `position`: one whose declaration or one of whose acquisitions covers it, or else the one lock whose
 * name or declared identifier is the identifier under the cursor (`accountsLock.unlock()`, a use the graph has no
 * position for).
 */
export function lockAt(graph: StaticLockGraph, uri: string, position: Position, word: string | undefined, textOf: TextOf): LockNode | undefined {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const declared = graph.nodes.find((node) => contains(node.declaration, uri, position));
  if (declared !== undefined) return declared;
  for (const edge of graph.edges) {
    const sites = takenAt(edge);
    if (sites.to.some((l) => contains(l, uri, position))) return byId.get(edge.to);
    if (sites.from.some((l) => contains(l, uri, position))) return byId.get(edge.from);
  }
  if (word === undefined) return undefined;
  const byName = graph.nodes.filter((node) => node.name === word || node.name.endsWith(`.${word}`));
  if (byName.length === 1) return byName[0];
  const byDeclaration = graph.nodes.filter((node) => node.declaration !== undefined && declaredIdentifier(node.declaration, textOf) === word);
  return byDeclaration.length === 1 ? byDeclaration[0] : undefined;
}

/** The identifier around `offset` in `text`, if any. */
export function identifierAt(text: string, offset: number): string | undefined {
  const before = /[\p{ID_Continue}$]*$/u.exec(text.slice(Math.max(0, offset - 200), offset))?.[0] ?? '';
  const after = /^[\p{ID_Continue}$]*/u.exec(text.slice(offset, offset + 200))?.[0] ?? '';
  const word = before + after;
  return /^[\p{ID_Start}$_]/u.test(word) ? word : undefined;
}

function where(location: SourceLocation): string {
  const file = location.uri.slice(location.uri.lastIndexOf('/') + 1);
  const line = location.range.start.line + 1;
  return `[${decodeURIComponent(file)}:${line}](${location.uri}#L${line})`;
}

function unique(locations: SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.uri}:${l.range.start.line}:${l.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Markdown describing `lock` within `graph`. */
export function describeLock(graph: StaticLockGraph, lock: LockNode): string {
  const names = new Map(graph.nodes.map((node) => [node.id, node.name]));
  const lines = [`**${lock.name}** (${lock.kind}${lock.rank === undefined ? '' : `, rank ${lock.rank}`})`];
  if (lock.declaration !== undefined) lines.push('', `Declared at ${where(lock.declaration)}`);

  const taken = unique(
    graph.edges.flatMap((edge) => [...(edge.to === lock.id ? takenAt(edge).to : []), ...(edge.from === lock.id ? takenAt(edge).from : [])]),
  );
  if (taken.length > 0) lines.push('', `Taken at ${taken.map(where).join(', ')}`);

  const inner = graph.edges.filter((edge) => edge.from === lock.id);
  lines.push('', inner.length === 0 ? 'No other lock is taken while it is held.' : 'Taken while it is held:');
  for (const edge of inner) {
    const sites = unique(takenAt(edge).to);
    lines.push(`- \`${names.get(edge.to) ?? edge.to}\`${sites.length > 0 ? ` at ${sites.map(where).join(', ')}` : ''}`);
  }

  const cycles = graph.cycles.filter((cycle) => cycle.includes(lock.id));
  for (const cycle of cycles) {
    const path = [...cycle, cycle[0]!].map((id) => `\`${names.get(id) ?? id}\``).join(' → ');
    lines.push('', `Potential deadlock: ${path}`);
  }
  return lines.join('\n');
}

export function hover(graph: StaticLockGraph, uri: string, position: Position, word: string | undefined, textOf: TextOf): Hover | null {
  const lock = lockAt(graph, uri, position, word, textOf);
  if (lock === undefined) return null;
  return { contents: { kind: 'markdown', value: describeLock(graph, lock) } };
}
