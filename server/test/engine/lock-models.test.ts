/**
 * `lockModels`: in-house lock classes described in deadbolt.config.json are locks to every rule. The fixture
 * folder's own config is loaded as the CLI would load it; a class of the same name from another module is not one.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/engine/config.js';
import { analyze, RULE_IDS } from '../../src/engine/index.js';
import { checkFixtureFolder, FIXTURES_ROOT } from '../helpers/fixtures.js';

const FOLDER = path.join(FIXTURES_ROOT, 'lock-models');
const { config } = loadConfig({ cwd: FOLDER });

checkFixtureFolder('lock-models', { config, rules: RULE_IDS });

test('lock-models: without the config the in-house classes are no locks; only the spin loop\'s own wait blocks', () => {
  const findings = analyze({ cwd: FOLDER, paths: ['.'], config: {} }).findings;
  // `SpinLock.lock()` calls Atomics.wait, which blocking-in-async sees through the call either way.
  assert.deepEqual(findings.map((f) => `${path.basename(f.span.file)}:${f.span.line} ${f.rule}`), ['coroutines.ts:15 blocking-in-async']);
  assert.doesNotMatch(findings[0]!.message, /lockModels/);
});

test('lock-models: the findings speak of the configured class, not of the runtime', () => {
  const findings = analyze({ cwd: FOLDER, paths: ['.'], config }).findings;
  const blocking = findings.find((f) => f.rule === 'blocking-in-async');
  assert.match(blocking?.message ?? '', /SpinLock\.lock, a blocking acquisition in lockModels/);
  const again = findings.find((f) => f.rule === 'double-lock' && f.span.file.endsWith('double.ts'));
  assert.match(again?.message ?? '', /not re-entrant \(`reentrant` is not set in `lockModels`\)/);
  // The runtime's rewrites (lockAll, lockAsync, using) do not fit another class's methods.
  for (const finding of findings) assert.deepEqual(finding.fixes.filter((f) => !/^Suppress/.test(f.title)), [], `${finding.rule} fixes`);
});

test('lock-models: a model restricted to a module does not match a same-named class declared elsewhere', () => {
  const unrestricted = { lockModels: config.lockModels!.map((m) => (m.class === 'SpinLock' ? { ...m, module: undefined } : m)) };
  const findings = analyze({ cwd: FOLDER, paths: ['.'], config: { ...config, ...unrestricted } }).findings;
  assert.ok(findings.some((f) => f.rule === 'lock-order' && f.span.file.endsWith('same-name.ts')), 'without `module`, any SpinLock is the model');
});
