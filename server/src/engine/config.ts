/**
 * Finds and loads `deadbolt.config.json` and validates it strictly against DeadboltConfig.
 * Every error names the file and the offending key, because a silently ignored typo in a config is worse than none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RULE_IDS, type DeadboltConfig, type RuleId, type Severity } from './types.js';

export const CONFIG_FILE_NAME = 'deadbolt.config.json';

const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'info', 'off'];
const TOP_LEVEL_KEYS = ['$schema', 'rules', 'blockingFunctions', 'lockRanks'] as const;

/** A configuration that cannot be used; `file` and `key` say where, so front doors can print one clear line. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    detail: string,
  ) {
    super(`${file}: ${key === undefined ? '' : `"${key}": `}${detail}`);
    this.name = 'ConfigError';
  }
}

/** The nearest `deadbolt.config.json` in `cwd` or one of its ancestors, or undefined when there is none. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadedConfig {
  config: DeadboltConfig;
  /** Absolute path of the file the config came from; undefined when none was found and defaults apply. */
  file: string | undefined;
}

/**
 * Loads the config named by `configPath` (which must exist), or else the nearest one above `cwd`.
 * Throws ConfigError for a missing explicit file, unreadable JSON, or any value that does not fit the schema.
 */
export function loadConfig(options: { cwd: string; configPath?: string }): LoadedConfig {
  const file =
    options.configPath === undefined ? findConfigFile(options.cwd) : resolve(options.cwd, options.configPath);
  if (file === undefined) return { config: {}, file: undefined };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, undefined, 'cannot read the configuration file (does it exist?)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, undefined, `not valid JSON (${(error as Error).message})`);
  }
  return { config: validateConfig(raw, file), file };
}

/** Checks a parsed JSON value against DeadboltConfig and returns it typed; unknown keys are errors, not warnings. */
export function validateConfig(raw: unknown, file: string): DeadboltConfig {
  if (!isPlainObject(raw)) throw new ConfigError(file, undefined, `expected a JSON object, got ${describe(raw)}`);
  const config: DeadboltConfig = {};
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(file, key, `unknown key; allowed keys are ${TOP_LEVEL_KEYS.filter((k) => k !== '$schema').join(', ')}`);
    }
  }
  if (raw.rules !== undefined) config.rules = validateRules(raw.rules, file);
  if (raw.blockingFunctions !== undefined) config.blockingFunctions = validateBlockingFunctions(raw.blockingFunctions, file);
  if (raw.lockRanks !== undefined) config.lockRanks = validateLockRanks(raw.lockRanks, file);
  return config;
}

function validateRules(value: unknown, file: string): NonNullable<DeadboltConfig['rules']> {
  if (!isPlainObject(value)) throw new ConfigError(file, 'rules', `expected an object of rule ids to severities, got ${describe(value)}`);
  const rules: NonNullable<DeadboltConfig['rules']> = {};
  for (const [id, severity] of Object.entries(value)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      throw new ConfigError(file, `rules.${id}`, `unknown rule id; known rules are ${RULE_IDS.join(', ')}`);
    }
    if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new ConfigError(file, `rules.${id}`, `expected one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, got ${describe(severity)}`);
    }
    rules[id as RuleId] = severity as Severity | 'off';
  }
  return rules;
}

function validateBlockingFunctions(value: unknown, file: string): string[] {
  if (!Array.isArray(value)) throw new ConfigError(file, 'blockingFunctions', `expected an array of strings, got ${describe(value)}`);
  return value.map((entry, index) => {
    // "name" or "module#name": both halves must be non-empty so a stray "#" cannot match every callee.
    if (typeof entry !== 'string' || !/^([^#\s]+#)?[^#\s]+$/.test(entry)) {
      throw new ConfigError(file, `blockingFunctions[${index}]`, `expected "name" or "module#name", got ${describe(entry)}`);
    }
    return entry;
  });
}

function validateLockRanks(value: unknown, file: string): Record<string, number> {
  if (!isPlainObject(value)) throw new ConfigError(file, 'lockRanks', `expected an object of lock names to ranks, got ${describe(value)}`);
  const ranks: Record<string, number> = {};
  for (const [name, rank] of Object.entries(value)) {
    if (typeof rank !== 'number' || !Number.isFinite(rank)) {
      throw new ConfigError(file, `lockRanks.${name}`, `expected a finite number, got ${describe(rank)}`);
    }
    ranks[name] = rank;
  }
  return ranks;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
