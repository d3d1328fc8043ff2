/**
 * How the adapter compiles a TypeScript program's files and how the runtime's worker patch picks the module a
 * worker runs: which files are compiled (not node_modules, declarations or hidden folders), that a file that does not
 * compile fails only a worker started from it, and each way of naming a worker file (.ts, NodeNext .js, path or URL
 * seen from the compiled entry).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { compileTypeScript, type CompiledProgram, type TypeScriptOutputs } from '../../src/dap/typescript.js';
import { withDeadline } from '../helpers/deadline.js';

type CompiledModule = (path: string, ts: TypeScriptOutputs) => string | undefined;

const files: Record<string, string> = {
  'main.ts': "const n: number = 1;\nconsole.log(n);\n",
  'worker.ts': "import { helper } from './lib/helper.js';\nhelper();\n",
  'lib/helper.ts': 'export function helper(): void {}\n',
  'jobs/task.mts': 'export const task: string = "t";\n',
  'broken.ts': 'const = ;\n',
  'plain.js': 'console.log("js");\n',
  'types.d.ts': 'declare const x: number;\n',
  'node_modules/dep/index.ts': 'export const dep = 1;\n',
  '.cache/hidden.ts': 'export const hidden = 1;\n',
};

let root: string;
let compiled: CompiledProgram;
let compiledModule: CompiledModule;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'deadbolt-ts-program-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  compiled = await withDeadline(compileTypeScript(join(root, 'main.ts')), 'esbuild compile of the fixture program');
  // The runtime's build, loaded as the program loads it (the server's tests cannot import its sources directly).
  const patch = new URL('../../../../runtime/dist/src/trace/worker-patch.js', import.meta.url);
  compiledModule = ((await import(patch.href)) as { compiledModule: CompiledModule }).compiledModule;
});

after(() => {
  compiled.dispose();
  rmSync(root, { recursive: true, force: true });
});

test('compiles the entry and every other TypeScript source under its directory, and nothing else', () => {
  const { outputs, errors, outputRoot } = compiled.outputs;
  assert.deepEqual(outputs, { 'main.ts': 'main.mjs', 'worker.ts': 'worker.mjs', 'lib/helper.ts': 'lib/helper.mjs', 'jobs/task.mts': 'jobs/task.mjs' });
  assert.deepEqual(Object.keys(errors), ['broken.ts']);
  assert.equal(compiled.entry, join(outputRoot, 'main.mjs'));
  for (const out of Object.values(outputs)) assert.ok(existsSync(join(outputRoot, out)), out);
  // The worker's own imports are bundled in, and its source map leads back to the .ts.
  assert.match(readFileSync(join(outputRoot, 'worker.mjs'), 'utf8'), /function helper/);
  assert.ok(existsSync(join(outputRoot, 'worker.mjs.map')));
});

test('a worker named by its .ts source, or by the .js NodeNext gives it, runs the compiled module', () => {
  const ts = compiled.outputs;
  const out = (rel: string) => join(ts.outputRoot, rel);
  for (const named of [join(root, 'worker.ts'), join(root, 'worker.js'), out('worker.ts'), out('worker.js')]) {
    assert.equal(compiledModule(named, ts), out('worker.mjs'), named);
  }
  assert.equal(compiledModule(join(root, 'jobs/task.mjs'), ts), out('jobs/task.mjs'));
  assert.equal(compiledModule(out('lib/helper.js'), ts), out('lib/helper.mjs'));
});

test('compiled modules, real JavaScript files and files outside the program run as named', () => {
  const ts = compiled.outputs;
  assert.equal(compiledModule(compiled.entry, ts), undefined, 'new Worker(new URL(import.meta.url)) in the entry');
  assert.equal(compiledModule(join(root, 'plain.js'), ts), undefined);
  assert.equal(compiledModule(join(ts.outputRoot, 'plain.js'), ts), join(root, 'plain.js'), 'seen from the compiled entry, the real file');
  assert.equal(compiledModule(join(tmpdir(), 'elsewhere.ts'), ts), undefined);
  assert.equal(compiledModule(join(root, 'missing.js'), ts), undefined);
});

test('a worker started from a file that did not compile fails with the compile error', () => {
  assert.throws(() => compiledModule(join(root, 'broken.ts'), compiled.outputs), /Cannot start a worker from '.*broken\.ts': .*Expected identifier/s);
});
