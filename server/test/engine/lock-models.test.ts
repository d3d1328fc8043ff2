/**
 * `lockModels`: in-house lock classes described in deadbolt.config.json are locks to every rule. The fixture
 * folder's own config is loaded as the CLI would load it; a class of the same name from another module is not one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  // Fixes speak the configured class: only methods its model declares, never the runtime's (lockAll, lockAsync, using).
  const declared = new Set(config.lockModels!.flatMap((m) => [...Object.keys(m.acquire ?? {}), ...(m.tryAcquire ?? []), ...(m.release ?? []), ...Object.keys(m.runUnder ?? {})]));
  for (const finding of findings) {
    for (const edit of finding.fixes.flatMap((f) => f.edits)) {
      assert.doesNotMatch(edit.newText, /\blockAll|\busing\b/, `${finding.rule}: ${edit.newText}`);
      // A call the file already makes is the user's code the fix moved (a `try` around it), not a method it chose.
      const original = readFileSync(edit.file, 'utf8');
      for (const [, method] of edit.newText.matchAll(/\.(\w+)\(/g)) {
        assert.ok(declared.has(method!) || original.includes(`.${method}(`), `${finding.rule} fix calls .${method}(), which no model declares`);
      }
    }
  }
  const fixed = findings.filter((f) => f.fixes.length > 0).map((f) => `${path.basename(f.span.file)}:${f.span.line} ${f.rule}: ${f.fixes[0]!.title}`);
  assert.deepEqual(fixed, [
    'coroutines.ts:40 double-lock: Drop this second acquisition of `gate`: it is already held here',
    'leak.ts:8 lock-leak: Release `queueLock` in a finally block, so every path releases it',
    'order.ts:24 lock-order: Take `ledgerLock` before `auditLock`, the order used elsewhere',
  ]);
});

test('lock-models: a model restricted to a module does not match a same-named class declared elsewhere', () => {
  const unrestricted = { lockModels: config.lockModels!.map((m) => (m.class === 'SpinLock' ? { ...m, module: undefined } : m)) };
  const findings = analyze({ cwd: FOLDER, paths: ['.'], config: { ...config, ...unrestricted } }).findings;
  assert.ok(findings.some((f) => f.rule === 'lock-order' && f.span.file.endsWith('same-name.ts')), 'without `module`, any SpinLock is the model');
});
