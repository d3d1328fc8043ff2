/** Launch attributes alone: defaults, validation messages, environment merging, the preload found and the node command line. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { LaunchError, nodeArguments, validateLaunch } from '../../src/dap/launch-config.js';
import { preloadFor } from '../../src/dap/preload.js';
import { fixtureProgram, fixtureSource } from './harness.js';

test('defaults: stop on deadlock, no long-wait stop, JavaScript, cwd of the adapter', () => {
  const launch = validateLaunch({ program: fixtureProgram('finishes') }, {});
  assert.equal(launch.stopOnDeadlock, true);
  assert.equal(launch.stopOnLongWait, undefined);
  assert.equal(launch.typescript, false);
  assert.equal(launch.cwd, process.cwd());
  assert.equal(validateLaunch({ program: fixtureSource('finishes') }, {}).typescript, true);
});

test('bad attributes fail with messages that say what to fix', () => {
  const cases: [object, RegExp][] = [
    [{}, /needs 'program'/],
    [{ program: '/nowhere/app.js' }, /'\/nowhere\/app.js' does not exist/],
    [{ program: fixtureProgram('finishes'), args: 'x' }, /'args' must be an array of strings/],
    [{ program: fixtureProgram('finishes'), stopOnLongWait: -5 }, /'stopOnLongWait' must be a positive number/],
    [{ program: fixtureProgram('finishes'), cwd: '/nowhere' }, /cwd '\/nowhere' is not a directory/],
  ];
  for (const [args, message] of cases) assert.throws(() => validateLaunch(args, {}), (e: Error) => e instanceof LaunchError && message.test(e.message));
});

test('env adds to the adapter environment and null removes a variable; a relative program resolves against cwd', () => {
  const launch = validateLaunch({ program: 'finishes.js', cwd: fixtureProgram('finishes').replace(/finishes\.js$/, ''), env: { ADDED: '1', DROPPED: null } }, { KEPT: 'k', DROPPED: 'd' });
  assert.deepEqual(launch.env, { KEPT: 'k', ADDED: '1' });
  assert.equal(launch.program, fixtureProgram('finishes'));
});

test('the preload is the runtime the program itself imports, and source maps are on', () => {
  const preload = preloadFor(fixtureProgram('finishes'));
  assert.ok(preload.endsWith('/runtime/dist/src/trace/preload.js') && existsSync(preload), preload);
  const launch = validateLaunch({ program: fixtureProgram('finishes'), args: ['a'], runtimeArgs: ['--no-warnings'] }, {});
  assert.deepEqual(nodeArguments(launch, '/tmp/entry.mjs', preload), ['--enable-source-maps', '--no-warnings', '--import', preload, '/tmp/entry.mjs', 'a']);
});
