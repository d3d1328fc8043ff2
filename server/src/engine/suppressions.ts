/**
 * Inline suppression comments: `// deadbolt-disable-next-line <rule>[, <rule>] -- reason`.
 * The engine core calls these functions to drop suppressed findings before any front door sees them.
 */
import type { Finding } from './types.js';

export const SUPPRESSION_DIRECTIVE = 'deadbolt-disable-next-line';

/** Matches the directive in a line comment or a block comment; group 1 is the rule list (maybe empty) before any `--`. */
const DIRECTIVE = /(?:\/\/|\/\*)\s*deadbolt-disable-next-line\b([^\n]*?)(?:\s--[^\n]*?)?\s*(?:\*\/\s*)?$/;

/**
 * Finds every suppression directive in `text`. The map's keys are the 1-based lines the directives suppress
 * (the line after each comment); values are the rule ids named, or `'*'` when none is named (every rule).
 */
export function parseSuppressions(text: string): Map<number, Set<string>> {
  const suppressed = new Map<number, Set<string>>();
  // Cheap exit for the common case: most files have no directive at all.
  if (!text.includes(SUPPRESSION_DIRECTIVE)) return suppressed;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (match === null) return;
    const names = (match[1] ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    const target = index + 2; // the next line, 1-based
    const set = suppressed.get(target) ?? new Set<string>();
    if (names.length === 0) set.add('*');
    for (const name of names) set.add(name);
    suppressed.set(target, set);
  });
  return suppressed;
}

/**
 * Rules split out of another: a directive naming the old rule was written for these findings, before the split,
 * so it keeps silencing them (`sync-io-in-async` was part of `blocking-in-async` until 0.1).
 */
const SPLIT_FROM: Record<string, string> = { 'sync-io-in-async': 'blocking-in-async' };

/** Whether a finding starting on `line` of rule `rule` is suppressed by the parsed directives of its file. */
export function isSuppressed(suppressions: Map<number, Set<string>>, line: number, rule: string): boolean {
  const set = suppressions.get(line);
  if (set === undefined) return false;
  const former = SPLIT_FROM[rule];
  return set.has('*') || set.has(rule) || (former !== undefined && set.has(former));
}

/**
 * Drops suppressed findings. `textOf` returns the analyzed text of a file (findings of files it cannot read are kept),
 * and each file is parsed once however many findings it has.
 */
export function filterSuppressed(findings: readonly Finding[], textOf: (file: string) => string | undefined): Finding[] {
  const cache = new Map<string, Map<number, Set<string>>>();
  return findings.filter((finding) => {
    let suppressions = cache.get(finding.span.file);
    if (suppressions === undefined) {
      const text = textOf(finding.span.file);
      suppressions = text === undefined ? new Map() : parseSuppressions(text);
      cache.set(finding.span.file, suppressions);
    }
    return !isSuppressed(suppressions, finding.span.line, finding.rule);
  });
}
