/**
 * The JSON schema of `deadbolt.config.json`, the one description of the file: config.ts validates against it (and
 * words its errors from it), and it is written out as `deadbolt.config.schema.json` for editors (the VS Code
 * extension contributes it for completion, hovers and live errors; the server package ships it). Plain data, so the
 * language server's main thread can load it without the engine.
 *
 * Besides standard draft-07 keywords each node may carry `errorMessage` (what was expected, as VS Code also shows
 * it), `patternErrorMessage` (the same for a pattern), `x-missing` (said when a required key is absent) and
 * `x-unknownKey` (said for a key the object does not allow).
 */
import { RULE_IDS } from './types.js';

export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
const WAITS = ['blocking', 'async'] as const;
const IDENTIFIER = '^[A-Za-z_$][\\w$]*$';
const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

const severity = {
  type: 'string',
  enum: [...SEVERITIES],
  enumDescriptions: [
    'Reported as an error: `deadbolt check` exits 1.',
    'Reported as a warning.',
    'Reported as information.',
    'The faintest: editors show it without a squiggle, `--quiet` leaves it out, SARIF calls it a note.',
    'The rule does not run.',
  ],
  errorMessage: `expected one of ${quoted(SEVERITIES)}`,
};

const rules = {
  type: 'object',
  markdownDescription: 'The severity of each rule\'s findings; `"off"` disables the rule. Only `error` findings make `deadbolt check` exit 1.',
  properties: Object.fromEntries(RULE_IDS.map((id) => [id, { ...severity, markdownDescription: `The severity of [${id}](https://github.com/deadbolt-dev/deadbolt/blob/HEAD/docs/rules/${id}.md) findings.` }])),
  additionalProperties: false,
  errorMessage: 'expected an object of rule ids to severities',
  'x-unknownKey': `unknown rule id; known rules are ${RULE_IDS.join(', ')}`,
};

/** A glob of `include`, `ignore` or `overrides[].files`: relative to the configuration file's folder, inside it, with "/". */
const glob = {
  type: 'string',
  minLength: 1,
  pattern: '^(?![/\\\\])(?![A-Za-z]:[\\\\/])(?!(.*/)?\\.\\.(/|$))[^\\\\]*$',
  errorMessage: 'expected a glob string',
  patternErrorMessage: 'globs are relative to the folder of the configuration file, stay inside it and use "/" between folders',
};

const globs = { type: 'array', minItems: 1, items: glob, errorMessage: 'expected a non-empty array of glob strings' };

const waits = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: IDENTIFIER, errorMessage: 'expected a method name' },
  additionalProperties: { type: 'string', enum: [...WAITS], enumDescriptions: ['Waits on the thread.', 'Returns a promise; held once awaited.'], errorMessage: 'expected "blocking" or "async"' },
  errorMessage: 'expected an object of method names to "blocking" or "async"',
};

const methods = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', pattern: IDENTIFIER, errorMessage: 'expected a method name' },
  errorMessage: 'expected a non-empty array of method names',
};

const lockModel = {
  type: 'object',
  required: ['class'],
  properties: {
    class: { type: 'string', pattern: IDENTIFIER, description: 'The class or interface name, as declared.', errorMessage: 'expected the name of the lock class' },
    module: {
      type: 'string',
      pattern: '^(?=.*\\S)[^\\\\]+$',
      markdownDescription: 'Where that class is declared: a path from this file\'s folder starting with `./` or `../`, or a package name. Without it, every class of that name is the lock.',
      errorMessage: 'expected a package name or a "./"-relative path with "/" between folders',
    },
    reentrant: { type: 'boolean', description: 'Whether the holder may take it again without waiting.', errorMessage: 'expected true or false' },
    acquire: { ...waits, description: 'Methods that take the lock and hold it until a release method.' },
    tryAcquire: { ...methods, description: 'Methods that take the lock only if it is free and return whether they did.' },
    release: { ...methods, description: 'Methods that release it.', 'x-missing': 'a model that acquires must name the methods that release' },
    runUnder: { ...waits, description: 'Methods that run their last argument while holding the lock.' },
    asyncTwins: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: IDENTIFIER, errorMessage: 'expected a method name' },
      additionalProperties: { type: 'string', pattern: IDENTIFIER, errorMessage: 'expected the name of an "async" method' },
      markdownDescription:
        'For fixes: each `blocking` method of `acquire` or `runUnder` to the `async` method of the same part that does the same with the same arguments. A blocking `m` whose model declares an async `mAsync` needs no entry.',
      errorMessage: 'expected an object of blocking method names to their async twins',
    },
  },
  additionalProperties: false,
  anyOf: [{ required: ['acquire'] }, { required: ['tryAcquire'] }, { required: ['runUnder'] }],
  'x-anyOf': 'a lock model needs at least one of "acquire", "tryAcquire" or "runUnder"',
  dependencies: { acquire: ['release'], tryAcquire: ['release'] },
  errorMessage: 'expected an object such as { "class": "SpinLock", "acquire": { "lock": "blocking" }, "release": ["unlock"] }',
};

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Deadbolt configuration (deadbolt.config.json)',
  type: 'object',
  properties: {
    $schema: { type: 'string', description: 'The schema of this file, for editors.' },
    rules,
    include: {
      ...globs,
      markdownDescription:
        'Files brought back into the analysis although the default scope skips them (vendored `.yarn/` and `.pnp.*`, build output, minified files, bundles), relative to this file\'s folder; `ignore` still wins.',
    },
    ignore: { ...globs, markdownDescription: 'Files left out of the analysis altogether, as `.gitignore` lines relative to this file\'s folder.' },
    overrides: {
      type: 'array',
      markdownDescription: 'Severities for the files the globs match, over `rules`; for each rule, the last matching entry that names it wins.',
      items: {
        type: 'object',
        required: ['files', 'rules'],
        properties: {
          files: { ...globs, 'x-missing': 'name the files this override applies to' },
          rules: { ...rules, 'x-missing': 'give the rule severities for these files' },
        },
        additionalProperties: false,
        errorMessage: 'expected an object with "files" and "rules"',
      },
      errorMessage: 'expected an array of { "files": [...], "rules": {...} }',
    },
    blockingFunctions: {
      type: 'array',
      markdownDescription: 'More functions that block the calling thread, for `blocking-in-async`: `"name"`, or `"module#name"` for `name` imported from `module`.',
      items: { type: 'string', pattern: '^([^#\\s]+#)?[^#\\s]+$', errorMessage: 'expected "name" or "module#name"' },
      errorMessage: 'expected an array of strings',
    },
    lockRanks: {
      type: 'object',
      markdownDescription: 'Declared ranks by lock name as the lock graph names it; taking a lower-ranked lock while holding a higher-ranked one is a `lock-order` finding.',
      additionalProperties: { type: 'number', errorMessage: 'expected a finite number' },
      errorMessage: 'expected an object of lock names to ranks',
    },
    lockModels: {
      type: 'array',
      markdownDescription: 'In-house lock classes that the rules treat as locks.',
      items: lockModel,
      errorMessage: 'expected an array of lock models',
    },
  },
  additionalProperties: false,
  errorMessage: 'expected a JSON object',
} as const;

/** The keywords above that are not JSON Schema's own, for a validator that must be told about them. */
export const SCHEMA_ANNOTATIONS = ['errorMessage', 'patternErrorMessage', 'x-missing', 'x-unknownKey', 'x-anyOf', 'enumDescriptions', 'markdownDescription'] as const;
