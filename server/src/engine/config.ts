/**
 * Finds and loads `deadbolt.config.json` and validates it strictly against its JSON schema (config-schema.ts, which
 * editors use too). Every error names the file and the offending key, because a silently ignored typo in a config is
 * worse than none.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Minimatch } from 'minimatch';
import { configSchema, SCHEMA_ANNOTATIONS, SEVERITIES } from './config-schema.js';
import type { DeadboltConfig, LockModelConfig } from './types.js';

export { SEVERITIES };
export const CONFIG_FILE_NAME = 'deadbolt.config.json';

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

/**
 * Where the search for the configuration starts: next to what is analysed, as ESLint and Ruff look for theirs. For
 * `--project dir/tsconfig.json` that is `dir`; for paths, the folder they share (a file's own folder); else `cwd`.
 * Searching upwards from there still reaches a configuration at the working directory when the target is inside it.
 */
export function configSearchStart(cwd: string, target: { tsconfig?: string; paths?: readonly string[] }): string {
  if (target.tsconfig !== undefined) return dirname(resolve(cwd, target.tsconfig));
  const folders = (target.paths ?? []).map((p) => {
    const absolute = resolve(cwd, p);
    return existsSync(absolute) && !statSync(absolute).isDirectory() ? dirname(absolute) : absolute;
  });
  if (folders.length === 0) return resolve(cwd);
  let shared = folders[0]!;
  for (const folder of folders.slice(1)) {
    while (shared !== dirname(shared) && folder !== shared && !folder.startsWith(shared.endsWith(sep) ? shared : shared + sep)) shared = dirname(shared);
  }
  return shared;
}

export interface LoadedConfig {
  config: DeadboltConfig;
  /** Absolute path of the file the config came from; undefined when none was found and defaults apply. */
  file: string | undefined;
}

/**
 * Loads the config named by `configPath` (relative to `cwd`, and it must exist), or else the nearest one above
 * `from` (see configSearchStart; `cwd` when not given). Throws ConfigError for a missing explicit file, unreadable
 * JSON, or any value that does not fit the schema.
 */
export function loadConfig(options: { cwd: string; configPath?: string; from?: string }): LoadedConfig {
  const file =
    options.configPath === undefined ? findConfigFile(options.from ?? options.cwd) : resolve(options.cwd, options.configPath);
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

/**
 * Checks a parsed JSON value against the schema (config-schema.ts) and returns it typed; unknown keys are errors, not
 * warnings. The schema decides every shape; this adds what a schema cannot say (a glob minimatch can compile, a
 * method playing one part, one model per class) and turns the first problem into one sentence naming its key.
 */
export function validateConfig(raw: unknown, file: string): DeadboltConfig {
  // ajv lists the errors of anyOf's branches before the anyOf's own, which is the one that says what to do.
  const validate = configValidator();
  if (!validate(raw)) throw schemaError(validate.errors?.find((e) => e.keyword === 'anyOf') ?? validate.errors?.[0], file);
  const config = raw as DeadboltConfig;
  for (const [key, globs] of [['include', config.include], ['ignore', config.ignore], ...(config.overrides ?? []).map((o, i) => [`overrides[${i}].files`, o.files] as const)] as const) {
    globs?.forEach((glob, index) => {
      if (glob.trim() === '') throw new ConfigError(file, `${key}[${index}]`, `expected a glob string, got ${describe(glob)}`);
      if (new Minimatch(glob).makeRe() === false) throw new ConfigError(file, `${key}[${index}]`, `not a valid glob: ${describe(glob)}`);
    });
  }
  config.lockModels?.forEach((model, index) => checkLockModel(model, index, config.lockModels!, file));
  return config;
}

let compiled: ValidateFunction<DeadboltConfig> | undefined;

/**
 * The schema's validator, compiled on first use: compiling it (and ajv's meta-schema) costs a few hundred
 * milliseconds, which a check of a folder without a config file would otherwise pay on every run.
 */
function configValidator(): ValidateFunction<DeadboltConfig> {
  if (compiled === undefined) {
    // Strict, but a `required` inside `anyOf` names keys that `properties` declares one level up, as JSON Schema allows.
    const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictRequired: false });
    ajv.addVocabulary([...SCHEMA_ANNOTATIONS]);
    compiled = ajv.compile<DeadboltConfig>(configSchema);
  }
  return compiled;
}

interface Annotated {
  errorMessage?: string;
  patternErrorMessage?: string;
  'x-missing'?: string;
  'x-unknownKey'?: string;
  'x-anyOf'?: string;
  properties?: Record<string, Annotated>;
  propertyNames?: Annotated;
}

/** One schema error as a ConfigError: its key as a path (`lockModels[0].acquire.lock`) and what was expected there. */
function schemaError(error: ErrorObject | undefined, file: string): ConfigError {
  if (error === undefined) return new ConfigError(file, undefined, 'does not match the configuration schema');
  const path = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const keyOf = (parts: string[]): string | undefined =>
    parts.length === 0 ? undefined : parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  const parent = error.parentSchema as Annotated | undefined;
  const params = error.params as Record<string, string>;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    // A key that is not a name, caught by propertyNames: the message is the key's, not the object's.
    return new ConfigError(file, keyOf([...path, propertyName]), `${parent?.errorMessage ?? 'not an allowed key'}, got ${describe(propertyName)}`);
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(parent?.properties ?? {}).filter((k) => k !== '$schema');
      return new ConfigError(file, keyOf([...path, params.additionalProperty!]), parent?.['x-unknownKey'] ?? `unknown key; allowed keys are ${allowed.join(', ')}`);
    }
    case 'required':
    case 'dependencies': {
      const missing = params.missingProperty!;
      const property = parent?.properties?.[missing];
      const detail = property?.['x-missing'] !== undefined ? `missing: ${property['x-missing']}` : `${property?.errorMessage ?? 'required'}, got undefined`;
      return new ConfigError(file, keyOf([...path, missing]), detail);
    }
    case 'anyOf':
      return new ConfigError(file, keyOf(path), parent?.['x-anyOf'] ?? 'does not match any allowed shape');
    case 'pattern':
      return new ConfigError(file, keyOf(path), `${parent?.patternErrorMessage ?? parent?.errorMessage ?? 'does not match'}, got ${describe(error.data)}`);
    default:
      return new ConfigError(file, keyOf(path), `${parent?.errorMessage ?? error.message ?? 'is not allowed'}, got ${describe(error.data)}`);
  }
}

/** What a lock model's schema cannot say: a method plays one part, and one class (per module) has one model. */
function checkLockModel(model: LockModelConfig, index: number, all: readonly LockModelConfig[], file: string): void {
  const key = `lockModels[${index}]`;
  const parts = new Map<string, string>();
  const claim = (method: string, part: string, where: string): void => {
    const earlier = parts.get(method);
    if (earlier !== undefined) throw new ConfigError(file, where, `"${method}" is already listed in ${earlier}; a method plays one part`);
    parts.set(method, part);
  };
  for (const part of ['acquire', 'runUnder'] as const) for (const method of Object.keys(model[part] ?? {})) claim(method, part, `${key}.${part}.${method}`);
  for (const part of ['tryAcquire', 'release'] as const) model[part]?.forEach((method, i) => claim(method, part, `${key}.${part}[${i}]`));
  // asyncTwins: each names a blocking method of acquire or runUnder and an async method of the same part.
  for (const [blocking, twin] of Object.entries(model.asyncTwins ?? {})) {
    const part = model.acquire?.[blocking] !== undefined ? 'acquire' : model.runUnder?.[blocking] !== undefined ? 'runUnder' : undefined;
    if (part === undefined || model[part]![blocking] !== 'blocking') {
      throw new ConfigError(file, `${key}.asyncTwins.${blocking}`, `"${blocking}" is not a "blocking" method of "acquire" or "runUnder"`);
    }
    if (model[part]![twin] !== 'async') throw new ConfigError(file, `${key}.asyncTwins.${blocking}`, `expected an "async" method of "${part}", got ${describe(twin)}`);
  }
  const identity = (m: LockModelConfig) => `${m.class} from ${m.module ?? 'anywhere'}`;
  if (all.slice(0, index).some((earlier) => identity(earlier) === identity(model))) {
    throw new ConfigError(file, `${key}.class`, `"${model.class}" already has a model${model.module ? ` for ${describe(model.module)}` : ''}`);
  }
}


function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
