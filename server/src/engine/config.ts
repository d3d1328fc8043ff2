/**
 * Finds and loads `deadbolt.config.json` and validates it strictly against DeadboltConfig.
 * Every error names the file and the offending key, because a silently ignored typo in a config is worse than none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Minimatch } from 'minimatch';
import { RULE_IDS, type ConfigOverride, type DeadboltConfig, type LockMethodWait, type LockModelConfig, type RuleId, type Severity } from './types.js';

export const CONFIG_FILE_NAME = 'deadbolt.config.json';

export const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'info', 'hint', 'off'];
const TOP_LEVEL_KEYS = ['$schema', 'rules', 'include', 'ignore', 'overrides', 'blockingFunctions', 'lockRanks', 'lockModels'] as const;
const OVERRIDE_KEYS = ['files', 'rules'];
const LOCK_MODEL_KEYS = ['class', 'module', 'reentrant', 'acquire', 'tryAcquire', 'release', 'runUnder', 'asyncTwins'];
const WAITS: readonly LockMethodWait[] = ['blocking', 'async'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

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
  const config = validateConfig(raw, file);
  // Globs and lock model paths are relative to the file that holds them, wherever the analysis runs from.
  if (config.include !== undefined || config.ignore !== undefined || config.overrides !== undefined || config.lockModels !== undefined) config.baseDir = dirname(file);
  return { config, file };
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
  if (raw.rules !== undefined) config.rules = validateRules(raw.rules, file, 'rules');
  if (raw.include !== undefined) config.include = validateGlobs(raw.include, file, 'include');
  if (raw.ignore !== undefined) config.ignore = validateGlobs(raw.ignore, file, 'ignore');
  if (raw.overrides !== undefined) config.overrides = validateOverrides(raw.overrides, file);
  if (raw.blockingFunctions !== undefined) config.blockingFunctions = validateBlockingFunctions(raw.blockingFunctions, file);
  if (raw.lockRanks !== undefined) config.lockRanks = validateLockRanks(raw.lockRanks, file);
  if (raw.lockModels !== undefined) config.lockModels = validateLockModels(raw.lockModels, file);
  return config;
}

function validateRules(value: unknown, file: string, key: string): NonNullable<DeadboltConfig['rules']> {
  if (!isPlainObject(value)) throw new ConfigError(file, key, `expected an object of rule ids to severities, got ${describe(value)}`);
  const rules: NonNullable<DeadboltConfig['rules']> = {};
  for (const [id, severity] of Object.entries(value)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      throw new ConfigError(file, `${key}.${id}`, `unknown rule id; known rules are ${RULE_IDS.join(', ')}`);
    }
    if (typeof severity !== 'string' || !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new ConfigError(file, `${key}.${id}`, `expected one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}, got ${describe(severity)}`);
    }
    rules[id as RuleId] = severity as Severity | 'off';
  }
  return rules;
}

/** A non-empty array of glob strings that minimatch can compile; absolute and parent-relative globs never match, so they are errors. */
function validateGlobs(value: unknown, file: string, key: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(file, key, `expected a non-empty array of glob strings, got ${describe(value)}`);
  return value.map((entry, index) => {
    const where = `${key}[${index}]`;
    if (typeof entry !== 'string' || entry.trim() === '') throw new ConfigError(file, where, `expected a glob string, got ${describe(entry)}`);
    if (entry.startsWith('/') || /^[A-Za-z]:[\\/]/.test(entry) || entry.split('/').includes('..')) {
      throw new ConfigError(file, where, `globs are relative to the folder of the configuration file and stay inside it, got ${describe(entry)}`);
    }
    if (entry.includes('\\')) throw new ConfigError(file, where, `use "/" between folders, got ${describe(entry)}`);
    if (new Minimatch(entry).makeRe() === false) throw new ConfigError(file, where, `not a valid glob: ${describe(entry)}`);
    return entry;
  });
}

function validateOverrides(value: unknown, file: string): ConfigOverride[] {
  if (!Array.isArray(value)) throw new ConfigError(file, 'overrides', `expected an array of { "files": [...], "rules": {...} }, got ${describe(value)}`);
  return value.map((entry, index) => {
    const key = `overrides[${index}]`;
    if (!isPlainObject(entry)) throw new ConfigError(file, key, `expected an object with "files" and "rules", got ${describe(entry)}`);
    for (const name of Object.keys(entry)) {
      if (!OVERRIDE_KEYS.includes(name)) throw new ConfigError(file, `${key}.${name}`, `unknown key; allowed keys are ${OVERRIDE_KEYS.join(', ')}`);
    }
    if (entry.files === undefined) throw new ConfigError(file, `${key}.files`, 'missing: name the files this override applies to');
    if (entry.rules === undefined) throw new ConfigError(file, `${key}.rules`, 'missing: give the rule severities for these files');
    return { files: validateGlobs(entry.files, file, `${key}.files`), rules: validateRules(entry.rules, file, `${key}.rules`) };
  });
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

/**
 * `lockModels`: each entry names a class and its methods. A method may play one part only, a model that can take
 * its lock must be able to release it, and one class (per module) has one model, so no call is read two ways.
 */
function validateLockModels(value: unknown, file: string): LockModelConfig[] {
  if (!Array.isArray(value)) throw new ConfigError(file, 'lockModels', `expected an array of lock models, got ${describe(value)}`);
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const key = `lockModels[${index}]`;
    if (!isPlainObject(entry)) throw new ConfigError(file, key, `expected an object such as { "class": "SpinLock", "acquire": { "lock": "blocking" }, "release": ["unlock"] }, got ${describe(entry)}`);
    for (const name of Object.keys(entry)) {
      if (!LOCK_MODEL_KEYS.includes(name)) throw new ConfigError(file, `${key}.${name}`, `unknown key; allowed keys are ${LOCK_MODEL_KEYS.join(', ')}`);
    }
    if (typeof entry.class !== 'string' || !IDENTIFIER.test(entry.class)) {
      throw new ConfigError(file, `${key}.class`, `expected the name of the lock class, got ${describe(entry.class)}`);
    }
    const model: LockModelConfig = { class: entry.class };
    if (entry.module !== undefined) {
      if (typeof entry.module !== 'string' || entry.module.trim() === '' || entry.module.includes('\\')) {
        throw new ConfigError(file, `${key}.module`, `expected a package name or a "./"-relative path with "/" between folders, got ${describe(entry.module)}`);
      }
      model.module = entry.module;
    }
    if (entry.reentrant !== undefined) {
      if (typeof entry.reentrant !== 'boolean') throw new ConfigError(file, `${key}.reentrant`, `expected true or false, got ${describe(entry.reentrant)}`);
      model.reentrant = entry.reentrant;
    }
    const parts = new Map<string, string>();
    const claim = (method: string, part: string, where: string): string => {
      if (!IDENTIFIER.test(method)) throw new ConfigError(file, where, `expected a method name, got ${describe(method)}`);
      const earlier = parts.get(method);
      if (earlier !== undefined) throw new ConfigError(file, where, `"${method}" is already listed in ${earlier}; a method plays one part`);
      parts.set(method, part);
      return method;
    };
    const waits = (part: 'acquire' | 'runUnder'): Record<string, LockMethodWait> | undefined => {
      const raw = entry[part];
      if (raw === undefined) return undefined;
      if (!isPlainObject(raw) || Object.keys(raw).length === 0) {
        throw new ConfigError(file, `${key}.${part}`, `expected an object of method names to "blocking" or "async", got ${describe(raw)}`);
      }
      const result: Record<string, LockMethodWait> = {};
      for (const [method, wait] of Object.entries(raw)) {
        claim(method, part, `${key}.${part}.${method}`);
        if (typeof wait !== 'string' || !(WAITS as readonly string[]).includes(wait)) {
          throw new ConfigError(file, `${key}.${part}.${method}`, `expected "blocking" or "async", got ${describe(wait)}`);
        }
        result[method] = wait as LockMethodWait;
      }
      return result;
    };
    const names = (part: 'tryAcquire' | 'release'): string[] | undefined => {
      const raw = entry[part];
      if (raw === undefined) return undefined;
      if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(file, `${key}.${part}`, `expected a non-empty array of method names, got ${describe(raw)}`);
      return raw.map((method, i) => {
        if (typeof method !== 'string') throw new ConfigError(file, `${key}.${part}[${i}]`, `expected a method name, got ${describe(method)}`);
        return claim(method, part, `${key}.${part}[${i}]`);
      });
    };
    const acquire = waits('acquire');
    const runUnder = waits('runUnder');
    const tryAcquire = names('tryAcquire');
    const release = names('release');
    if (acquire) model.acquire = acquire;
    if (runUnder) model.runUnder = runUnder;
    if (tryAcquire) model.tryAcquire = tryAcquire;
    if (release) model.release = release;
    if (!acquire && !runUnder && !tryAcquire) {
      throw new ConfigError(file, key, 'a lock model needs at least one of "acquire", "tryAcquire" or "runUnder"');
    }
    if ((acquire || tryAcquire) && !release) {
      throw new ConfigError(file, `${key}.release`, 'missing: a model that acquires must name the methods that release');
    }
    if (entry.asyncTwins !== undefined) model.asyncTwins = validateAsyncTwins(entry.asyncTwins, model, file, `${key}.asyncTwins`);
    const identity = `${model.class} from ${model.module ?? 'anywhere'}`;
    if (seen.has(identity)) throw new ConfigError(file, `${key}.class`, `"${model.class}" already has a model${model.module ? ` for ${describe(model.module)}` : ''}`);
    seen.add(identity);
    return model;
  });
}

/** `asyncTwins`: each blocking acquire or runUnder method of the model to an async one of the same part. */
function validateAsyncTwins(value: unknown, model: LockModelConfig, file: string, key: string): Record<string, string> {
  if (!isPlainObject(value)) throw new ConfigError(file, key, `expected an object of blocking method names to their async twins, got ${describe(value)}`);
  const twins: Record<string, string> = {};
  for (const [blocking, twin] of Object.entries(value)) {
    const part = model.acquire?.[blocking] !== undefined ? 'acquire' : model.runUnder?.[blocking] !== undefined ? 'runUnder' : undefined;
    if (part === undefined || model[part]![blocking] !== 'blocking') {
      throw new ConfigError(file, `${key}.${blocking}`, `"${blocking}" is not a "blocking" method of "acquire" or "runUnder"`);
    }
    if (typeof twin !== 'string' || model[part]![twin] !== 'async') {
      throw new ConfigError(file, `${key}.${blocking}`, `expected an "async" method of "${part}", got ${describe(twin)}`);
    }
    twins[blocking] = twin;
  }
  return twins;
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
