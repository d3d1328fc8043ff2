// Unit tests of launch configuration completion: F5 without launch.json, defaults, and a clear refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeLaunchConfig } from '../src/debug/launchConfig.js';

test('with no launch.json the active file is debugged with deadlock stops on', () => {
  assert.deepEqual(completeLaunchConfig({}, { activeFile: '/w/src/main.ts', folder: '/w' }), {
    config: { type: 'deadbolt', request: 'launch', name: 'Deadbolt: run current file', program: '/w/src/main.ts', stopOnDeadlock: true, cwd: '/w' },
  });
});

test('a given configuration keeps its values and only gains defaults', () => {
  const result = completeLaunchConfig(
    { type: 'deadbolt', request: 'launch', name: 'mine', program: '/w/a.js', cwd: '/elsewhere', stopOnDeadlock: false, args: ['x'] },
    { activeFile: '/w/b.ts', folder: '/w' },
  );
  assert.ok('config' in result);
  assert.deepEqual(result.config, { type: 'deadbolt', request: 'launch', name: 'mine', program: '/w/a.js', cwd: '/elsewhere', stopOnDeadlock: false, args: ['x'] });
});

test('a configuration without program takes the active file, or is refused with a reason', () => {
  const filled = completeLaunchConfig({ type: 'deadbolt', request: 'launch', name: 'n' }, { activeFile: '/w/worker.mjs' });
  assert.ok('config' in filled && filled.config.program === '/w/worker.mjs');
  const refused = completeLaunchConfig({ type: 'deadbolt', request: 'launch', name: 'n' }, { activeFile: '/w/readme.md' });
  assert.ok('error' in refused);
  assert.match(refused.error, /program/);
  assert.ok('error' in completeLaunchConfig({}, {}));
});
