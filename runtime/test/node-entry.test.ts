/**
 * The package's Node entry on a Node without `process.getBuiltinModule` (before 20.16; the declared minimum is
 * 20.11): imported by its name, the runtime still finds worker_threads, so a worker draws its ids from the
 * process's shared counter instead of a space of its own. The old Node is simulated by deleting the function
 * before anything loads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNTIME_DIR = fileURLToPath(new URL('../../', import.meta.url));
const WITHOUT_GET_BUILTIN = 'data:text/javascript,delete process.getBuiltinModule';

const PROGRAM = `
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';
const here = new Mutex().id;
const worker = new Worker("Promise.all([import('@deadbolt/runtime'), import('node:worker_threads')]).then(([{ Mutex }, { parentPort }]) => parentPort.postMessage(new Mutex().id));", { eval: true });
worker.once('message', (there) => { console.log(JSON.stringify({ here, there, old: typeof process.getBuiltinModule })); worker.terminate(); });
`;

function run(): { here: number; there: number; old: string } {
  const result = spawnSync(process.execPath, ['--import', WITHOUT_GET_BUILTIN, '--input-type=module', '-e', PROGRAM], { cwd: RUNTIME_DIR, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { here: number; there: number; old: string };
}

test('without process.getBuiltinModule, a worker still shares the main thread\'s id counter', () => {
  const { here, there, old } = run();
  assert.equal(old, 'undefined', 'the simulated old Node has no getBuiltinModule');
  assert.ok(here > 0 && here < 2 ** 32, `main's id ${here} comes from the shared counter`);
  assert.ok(there > here && there < 2 ** 32, `the worker's id ${there} follows main's, from the same counter (a fallback space starts at 2^52)`);
});
