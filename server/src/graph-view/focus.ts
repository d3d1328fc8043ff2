/**
 * Finds the cycle a lock-order diagnostic is about, from the diagnostic's place alone: the cycle one of whose
 * edges has an acquisition chain passing through that line. The "Show in Lock Graph" code action carries only
 * the place, so the panel can answer from whatever graph it has.
 */
import type { SourceLocation, StaticLockGraph } from '../protocol/index.js';

export function cycleAt(graph: StaticLockGraph, place: SourceLocation): string[] | undefined {
  const sameLine = (l: SourceLocation): boolean =>
    l.uri === place.uri && l.range.start.line <= place.range.end.line && l.range.end.line >= place.range.start.line;
  const edgeAt = new Set(
    graph.edges.filter((e) => e.chains.some((c) => c.steps.some((s) => sameLine(s.location)))).map((e) => `${e.from}\0${e.to}`),
  );
  let best: { cycle: string[]; score: number } | undefined;
  for (const cycle of graph.cycles) {
    const pairs = cycle.map((id, i) => `${id}\0${cycle[(i + 1) % cycle.length]}`);
    // A step can sit on edges of several cycles; the cycle with the most such edges is the one the line is about.
    const score = pairs.filter((p) => edgeAt.has(p)).length;
    if (score > 0 && (best === undefined || score > best.score)) best = { cycle, score };
  }
  return best?.cycle;
}
