/** Tests for deadbolt.config.json discovery, loading and strict validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, findConfigFile, loadConfig, validateConfig } from '../../src/engine/config.js';
import { configSchema } from '../../src/engine/config-schema.js';
import { RULE_IDS } from '../../src/engine/types.js';

function withTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'deadbolt-config-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('finds the config in an ancestor directory', () => {
  withTempDir((dir) => {
    writeFileSync(join(dir, 'deadbolt.config.json'), '{}');
    const nested = join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    assert.equal(findConfigFile(nested), join(dir, 'deadbolt.config.json'));
  });
});

test('defaults to an empty config when there is no file', () => {
  withTempDir((dir) => {
    const found = findConfigFile(dir);
    // A config in a real ancestor of the temp dir would be a broken machine; only assert what we control.
    if (found === undefined) assert.deepEqual(loadConfig({ cwd: dir }), { config: {}, file: undefined });
  });
});

test('loads a complete valid config', () => {
  withTempDir((dir) => {
    const config = {
      rules: { 'lock-order': 'warning', 'blocking-in-async': 'off' },
      blockingFunctions: ['sleepSync', 'my-lib#spinFor'],
      lockRanks: { accounts: 1, 'this.ledger': 2 },
    };
    writeFileSync(join(dir, 'deadbolt.config.json'), JSON.stringify(config));
    const loaded = loadConfig({ cwd: dir });
    assert.deepEqual(loaded.config, config);
    assert.equal(loaded.file, join(dir, 'deadbolt.config.json'));
  });
});

test('an explicit --config path that does not exist is an error naming the file', () => {
  withTempDir((dir) => {
    assert.throws(() => loadConfig({ cwd: dir, configPath: 'nope.json' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.file, join(dir, 'nope.json'));
      assert.match(error.message, /nope\.json/);
      return true;
    });
  });
});

test('invalid JSON is an error naming the file', () => {
  withTempDir((dir) => {
    writeFileSync(join(dir, 'deadbolt.config.json'), '{ "rules": ');
    assert.throws(() => loadConfig({ cwd: dir }), /deadbolt\.config\.json: not valid JSON/);
  });
});

const invalid: [string, unknown, string, RegExp][] = [
  ['top level not an object', [1], '', /expected a JSON object, got an array/],
  ['unknown top-level key', { rule: {} }, 'rule', /unknown key/],
  ['rules not an object', { rules: 'all' }, 'rules', /expected an object/],
  ['unknown rule id', { rules: { 'lock-ordr': 'error' } }, 'rules.lock-ordr', /unknown rule id/],
  ['bad severity', { rules: { 'lock-order': 'fatal' } }, 'rules.lock-order', /expected one of "error", "warning", "info", "hint", "off", got "fatal"/],
  ['blockingFunctions not an array', { blockingFunctions: 'x' }, 'blockingFunctions', /expected an array/],
  ['blockingFunctions entry not a string', { blockingFunctions: ['ok', 3] }, 'blockingFunctions[1]', /got number 3/],
  ['blockingFunctions entry with empty name', { blockingFunctions: ['mod#'] }, 'blockingFunctions[0]', /module#name/],
  ['lockRanks value not a number', { lockRanks: { a: '1' } }, 'lockRanks.a', /finite number/],
  ['lockRanks not an object', { lockRanks: [1] }, 'lockRanks', /expected an object/],
  ['ignore not an array', { ignore: 'scripts/**' }, 'ignore', /expected a non-empty array of glob strings, got "scripts\/\*\*"/],
  ['ignore empty', { ignore: [] }, 'ignore', /non-empty array/],
  ['ignore entry not a string', { ignore: ['ok/**', 7] }, 'ignore[1]', /got number 7/],
  ['ignore entry absolute', { ignore: ['/etc/**'] }, 'ignore[0]', /relative to the folder of the configuration file/],
  ['ignore entry leaving the folder', { ignore: ['../other/**'] }, 'ignore[0]', /stay inside it/],
  ['ignore entry with backslashes', { ignore: ['scripts\\*.ts'] }, 'ignore[0]', /use "\/" between folders/],
  ['overrides not an array', { overrides: { files: ['a'] } }, 'overrides', /expected an array/],
  ['override without files', { overrides: [{ rules: { 'lock-order': 'off' } }] }, 'overrides[0].files', /missing/],
  ['override without rules', { overrides: [{ files: ['scripts/**'] }] }, 'overrides[0].rules', /missing/],
  ['override with an unknown key', { overrides: [{ files: ['a'], rules: {}, ignores: ['b'] }] }, 'overrides[0].ignores', /allowed keys are files, rules/],
  ['override with an unknown rule', { overrides: [{ files: ['a'], rules: { 'no-sync': 'off' } }] }, 'overrides[0].rules.no-sync', /unknown rule id/],
  ['override with a bad severity', { overrides: [{ files: ['a'], rules: { 'lock-order': 'quiet' } }] }, 'overrides[0].rules.lock-order', /got "quiet"/],
  ['lockModels not an array', { lockModels: { class: 'SpinLock' } }, 'lockModels', /expected an array of lock models/],
  ['lock model not an object', { lockModels: ['SpinLock'] }, 'lockModels[0]', /expected an object such as/],
  ['lock model with an unknown key', { lockModels: [{ class: 'L', acquire: { lock: 'blocking' }, release: ['unlock'], unlock: ['x'] }] }, 'lockModels[0].unlock', /allowed keys are class, module/],
  ['lock model without a class', { lockModels: [{ acquire: { lock: 'blocking' }, release: ['unlock'] }] }, 'lockModels[0].class', /expected the name of the lock class, got undefined/],
  ['lock model class not an identifier', { lockModels: [{ class: 'my lock', acquire: { lock: 'blocking' }, release: ['unlock'] }] }, 'lockModels[0].class', /got "my lock"/],
  ['lock model with a wait that is neither', { lockModels: [{ class: 'L', acquire: { lock: 'sync' }, release: ['unlock'] }] }, 'lockModels[0].acquire.lock', /expected "blocking" or "async", got "sync"/],
  ['lock model acquire as an array', { lockModels: [{ class: 'L', acquire: ['lock'], release: ['unlock'] }] }, 'lockModels[0].acquire', /expected an object of method names/],
  ['lock model that acquires but never releases', { lockModels: [{ class: 'L', acquire: { lock: 'blocking' } }] }, 'lockModels[0].release', /must name the methods that release/],
  ['lock model that cannot take its lock', { lockModels: [{ class: 'L', release: ['unlock'] }] }, 'lockModels[0]', /at least one of "acquire", "tryAcquire" or "runUnder"/],
  ['lock model with one method in two parts', { lockModels: [{ class: 'L', acquire: { take: 'blocking' }, release: ['take'] }] }, 'lockModels[0].release[0]', /"take" is already listed in acquire/],
  ['lock model method not a name', { lockModels: [{ class: 'L', runUnder: { 'with lock': 'async' } }] }, 'lockModels[0].runUnder.with lock', /expected a method name/],
  ['lock model reentrant not a boolean', { lockModels: [{ class: 'L', runUnder: { run: 'async' }, reentrant: 'yes' }] }, 'lockModels[0].reentrant', /expected true or false, got "yes"/],
  ['lock model module with backslashes', { lockModels: [{ class: 'L', module: '.\\locks', runUnder: { run: 'async' } }] }, 'lockModels[0].module', /"\/" between folders/],
  ['two models for one class', { lockModels: [{ class: 'L', runUnder: { run: 'async' } }, { class: 'L', runUnder: { go: 'async' } }] }, 'lockModels[1].class', /"L" already has a model/],
  ['an async twin of a method that does not block', { lockModels: [{ class: 'L', acquire: { lock: 'async', take: 'async' }, release: ['unlock'], asyncTwins: { lock: 'take' } }] }, 'lockModels[0].asyncTwins.lock', /"lock" is not a "blocking" method/],
  ['an async twin that is not async', { lockModels: [{ class: 'L', acquire: { lock: 'blocking', take: 'blocking' }, release: ['unlock'], asyncTwins: { lock: 'take' } }] }, 'lockModels[0].asyncTwins.lock', /expected an "async" method of "acquire", got "take"/],
  ['an async twin in another part', { lockModels: [{ class: 'L', acquire: { lock: 'blocking' }, release: ['unlock'], runUnder: { run: 'async' }, asyncTwins: { lock: 'run' } }] }, 'lockModels[0].asyncTwins.lock', /expected an "async" method of "acquire", got "run"/],
  ['asyncTwins not an object', { lockModels: [{ class: 'L', acquire: { lock: 'blocking' }, release: ['unlock'], asyncTwins: ['lockAsync'] }] }, 'lockModels[0].asyncTwins', /expected an object of blocking method names/],
];

test('lockModels load, anchored at the file\'s folder so "./" modules resolve from there', () => {
  withTempDir((dir) => {
    const config = {
      lockModels: [
        { class: 'SpinLock', module: './src/spin-lock.ts', acquire: { lock: 'blocking', waitFor: 'async' }, tryAcquire: ['tryLock'], release: ['unlock'], runUnder: { withLock: 'blocking' }, asyncTwins: { lock: 'waitFor' } },
        { class: 'Gate', module: '@acme/locks', reentrant: true, runUnder: { guarded: 'async' } },
      ],
    };
    writeFileSync(join(dir, 'deadbolt.config.json'), JSON.stringify(config));
    assert.deepEqual(loadConfig({ cwd: dir }).config, { ...config, baseDir: dir });
  });
});

test('ignore, overrides and the severity "hint" load, with the globs anchored at the file\'s folder', () => {
  withTempDir((dir) => {
    const config = {
      rules: { 'sync-io-in-async': 'hint' },
      ignore: ['vendor', '**/*.generated.ts'],
      overrides: [{ files: ['scripts/**', '*.test.ts'], rules: { 'sync-io-in-async': 'off', 'blocking-in-async': 'warning' } }],
    };
    writeFileSync(join(dir, 'deadbolt.config.json'), JSON.stringify(config));
    mkdirSync(join(dir, 'packages', 'a'), { recursive: true });
    assert.deepEqual(loadConfig({ cwd: join(dir, 'packages', 'a') }).config, { ...config, baseDir: dir });
  });
});

for (const [name, raw, key, message] of invalid) {
  test(`rejects ${name}`, () => {
    assert.throws(() => validateConfig(raw, '/p/deadbolt.config.json'), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.key, key === '' ? undefined : key);
      assert.match(error.message, /^\/p\/deadbolt\.config\.json: /);
      assert.match(error.message, message);
      return true;
    });
  });
}

test('every example of docs/configuration.md passes the schema, which knows every rule', () => {
  const docs = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
  const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
  assert.ok(examples.length >= 2, `${examples.length} examples`);
  for (const example of examples) assert.doesNotThrow(() => validateConfig(example, '/p/deadbolt.config.json'), JSON.stringify(example));
  assert.deepEqual(Object.keys(configSchema.properties.rules.properties).sort(), [...RULE_IDS].sort());
});
