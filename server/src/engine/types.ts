/**
 * The analysis engine's public vocabulary: findings, fixes, rules and configuration.
 * Everything here is plain data, so the CLI, the language server and tests consume it without knowing ts-morph.
 */

export const RULE_IDS = [
  'lock-order',
  'double-lock',
  'lock-leak',
  'unguarded-write',
  'non-atomic-update',
  'blocking-in-async',
  'await-holding-lock',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info';

/** A span of one file. Lines and columns are 1-based; offsets are 0-based UTF-16 indices into the analyzed text. */
export interface Span {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

/** A secondary location of a finding: one step of an acquisition chain, the other half of a cycle, the guarding access. */
export interface RelatedLocation {
  span: Span;
  message: string;
}

/** One replacement in one file, by offsets into the analyzed text. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply without review: `--fix` applies only preferred fixes, and editors mark them preferred. */
  preferred: boolean;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedLocation[];
  fixes: Fix[];
}

/** `deadbolt.config.json`: what a project may configure. */
export interface DeadboltConfig {
  /** Per-rule severity; "off" disables the rule. */
  rules?: Partial<Record<RuleId, Severity | 'off'>>;
  /** Extra functions that block the calling thread, as "name" (any callee so named) or "module#name". */
  blockingFunctions?: string[];
  /** Declared lock ranks by lock name (as the lock graph names it): taking a lower rank while holding a higher one is an error. */
  lockRanks?: Record<string, number>;
}
