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
  'sync-io-in-async',
  'await-holding-lock',
  'async-atomicity',
  'blocking-on-main-thread',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** `hint` is the faintest: editors show it without a squiggle, and the CLI prints it only outside `--quiet`. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

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

/**
 * Whether a fix keeps the program's meaning, as ruff grades them: `safe` fixes are applied by `deadbolt check --fix`;
 * `unsafe` ones (the code may behave differently, e.g. run holding two locks where it held one) only with
 * `--unsafe-fixes`, or picked by hand in an editor.
 */
export type FixSafety = 'safe' | 'unsafe';

export interface Fix {
  title: string;
  edits: TextEdit[];
  safety: FixSafety;
  /** The fix an editor offers first (LSP `isPreferred`): always a safe one, at most one per finding. */
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

/**
 * Something the user should know about how an analysis ran that is not a finding: files the default scope skipped,
 * a tsconfig covering little of its folder, a file with syntax errors, a part of a config that could not be read, a
 * function whose analysis hit its budget. The CLI prints each as one line on stderr.
 */
export interface Notice {
  kind: 'scope' | 'coverage' | 'workspaces' | 'syntax' | 'tsconfig' | 'budget';
  /** `warning` when part of what was asked for is not analysed as configured; `notice` otherwise. */
  level: 'warning' | 'notice';
  message: string;
  /** The file it is about (absolute), with a 1-based position when known. */
  file?: string;
  line?: number;
  column?: number;
  /** Details printed only with `--verbose` (the skipped files, the degraded functions). */
  verbose?: boolean;
}

/** One entry of `overrides`: rule severities for the files its globs match. */
export interface ConfigOverride {
  files: string[];
  rules: Partial<Record<RuleId, Severity | 'off'>>;
}

/** `deadbolt.config.json`: what a project may configure. */
export interface DeadboltConfig {
  /** Per-rule severity; "off" disables the rule. */
  rules?: Partial<Record<RuleId, Severity | 'off'>>;
  /**
   * Globs of files brought back into the analysis although the default scope skips them (vendored folders such as
   * `.yarn/`, build output, minified files, bundles; see files.ts). Relative to `baseDir`.
   */
  include?: string[];
  /** Globs of files left out of the analysis (relative to `baseDir`; see file-globs.ts for how they match). */
  ignore?: string[];
  /** Per-file rule severities, applied over `rules` in order: the last entry matching a file wins. */
  overrides?: ConfigOverride[];
  /**
   * Absolute folder the globs are relative to: the config file's, set by `loadConfig` when the file has globs.
   * Not a key of the file; without it the analysis's working directory is used.
   */
  baseDir?: string;
  /** Extra functions that block the calling thread, as "name" (any callee so named) or "module#name". */
  blockingFunctions?: string[];
  /** Declared lock ranks by lock name (as the lock graph names it): taking a lower rank while holding a higher one is an error. */
  lockRanks?: Record<string, number>;
  /** In-house lock classes described as data, recognised like the built-in lock APIs (see `model/custom-locks.ts`). */
  lockModels?: LockModelConfig[];
}

/** How a method of a configured lock class waits: on the thread (`blocking`) or for a promise (`async`). */
export type LockMethodWait = 'blocking' | 'async';

/** One entry of `lockModels`: a class whose instances are locks, and what each of its methods does to the lock. */
export interface LockModelConfig {
  /** The class (or interface) name, as declared. */
  class: string;
  /**
   * Where it is declared: a package name (`@acme/locks`), or a path relative to the configuration file's folder
   * (`./src/locks/spin-lock.ts`, the extension optional). Without it, any declaration of that name in the program.
   */
  module?: string;
  /** Whether the holder may take it again without waiting (default false: a second take is a double-lock). */
  reentrant?: boolean;
  /** Methods that take the lock and hold it until a `release` method is called. */
  acquire?: Record<string, LockMethodWait>;
  /** Methods that take the lock only if it is free and return whether they did. */
  tryAcquire?: string[];
  /** Methods that release it. */
  release?: string[];
  /** Methods that run their last argument while holding the lock and release it afterwards. */
  runUnder?: Record<string, LockMethodWait>;
  /**
   * For fixes: the awaitable method (an `async` acquire or runUnder method) that does what a `blocking` one does,
   * with the same arguments, by the blocking one's name. A blocking `m` whose model declares an async `mAsync` needs
   * no entry.
   */
  asyncTwins?: Record<string, string>;
}
