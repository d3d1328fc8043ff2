/**
 * The config schema is compiled only when a config file is validated: a check of a folder without one must not pay
 * for compiling it. Counted by wrapping ajv's compile before the config module is loaded (this file imports it alone).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';

test('the schema is compiled on the first validation, once, and not at all without a config file', async () => {
  let compilations = 0;
  const compile = Ajv.prototype.compile;
  Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv['compile']>) {
    compilations++;
    return compile.apply(this, args);
  } as Ajv['compile'];
  const dir = mkdtempSync(join(tmpdir(), 'deadbolt-config-lazy-'));
  try {
    const { loadConfig, validateConfig } = await import('../../src/engine/config.js');
    loadConfig({ cwd: dir, from: dir });
    assert.equal(compilations, 0, 'loading no config file compiled the schema');
    writeFileSync(join(dir, 'deadbolt.config.json'), '{ "rules": { "lock-order": "warning" } }');
    assert.deepEqual(loadConfig({ cwd: dir }).config, { rules: { 'lock-order': 'warning' } });
    assert.throws(() => validateConfig({ rulez: {} }, 'x.json'), /rulez/);
    assert.equal(compilations, 1, 'the schema was not compiled exactly once for two validations');
  } finally {
    Ajv.prototype.compile = compile;
    rmSync(dir, { recursive: true, force: true });
  }
});
