/**
 * The walk passes by calls whose names no lock-taking function can have, without asking the type checker what they
 * run (CallGraph.mayInline, calleesLeadingToLocks). These are the ways a call reaches such a function by another
 * name: each must still be followed, and each must pass the name test itself.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Project, SyntaxKind, ts } from 'ts-morph';
import { analyze } from '../../src/engine/index.js';
import { CallGraph } from '../../src/engine/model/call-graph.js';

const root = mkdtempSync(path.join(tmpdir(), 'deadbolt-call-names-'));
after(() => rmSync(root, { recursive: true, force: true }));

const LOCKS = "import { Mutex } from '@deadbolt/runtime';\nexport const a = new Mutex();\nexport const b = new Mutex();\n";
/** Takes `a`; the caller holds `b` around the call written in `call`. */
const TAKES_A = 'export function takeA(): void { a.withLock(() => {}); }\n';
/** The other order, which closes the cycle. */
const INVERSE = "import { a, b } from './locks.js';\nexport function inverse(): void { a.withLock(() => { b.withLock(() => {}); }); }\n";

const CASES: Record<string, Record<string, string>> = {
  'an export alias through a namespace import': {
    'helpers.ts': `import { a } from './locks.js';\n${TAKES_A.replace('export function', 'function')}export { takeA as grab };\n`,
    'main.ts': "import * as helpers from './helpers.js';\nimport { b } from './locks.js';\nexport function run(): void { b.withLock(() => { helpers.grab(); }); }\n",
  },
  'a renamed import': {
    'helpers.ts': `import { a } from './locks.js';\n${TAKES_A}`,
    'main.ts': "import { takeA as grab } from './helpers.js';\nimport { b } from './locks.js';\nexport function run(): void { b.withLock(() => { grab(); }); }\n",
  },
  'an object property holding a function declared under another name': {
    'main.ts': `import { a, b } from './locks.js';\n${TAKES_A}const api = { go: takeA };\nexport function run(): void { b.withLock(() => { api.go(); }); }\n`,
  },
  'a parameter bound at the call site': {
    'main.ts': `import { a, b } from './locks.js';\n${TAKES_A}function twice(step: () => void): void { step(); step(); }\nexport function run(): void { b.withLock(() => { twice(takeA); }); }\n`,
  },
};

for (const [name, files] of Object.entries(CASES)) {
  test(`a lock taken through ${name} is still seen under the caller's lock`, () => {
    const dir = path.join(root, name.replace(/\W+/g, '-'));
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries({ 'locks.ts': LOCKS, 'inverse.ts': INVERSE, ...files })) writeFileSync(path.join(dir, file), text);
    const result = analyze({ cwd: dir, paths: ['.'], config: {} });
    const cycles = result.findings.filter((f) => f.rule === 'lock-order');
    assert.ok(cycles.length > 0, `no lock-order finding; found: ${JSON.stringify(result.findings.map((f) => [f.rule, f.span.line]))}`);
  });
}

test('mayInline: true for every name a lock-taking or callback-calling function can be reached by, false for the rest', () => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  const helpers = project.createSourceFile('/helpers.ts', `${LOCKS}${TAKES_A}export { takeA as grab };\nexport function retry(fn: () => void): void { fn(); }\nexport function plain(): number { return 1; }\n`);
  const main = project.createSourceFile('/main.ts', [
    "import * as h from './helpers.js';",
    "import { takeA as renamed, plain } from './helpers.js';",
    'const api = { go: h.takeA, answer: 42, shout() { return 1; } };',
    'export function run(view: Int32Array): void {',
    '  h.takeA(); h.grab(); renamed(); plain(); h.retry(() => {}); api.go();',
    '  h.plain(); view.fill(0); console.log(1); api.shout(); api.answer.toFixed();',
    '}',
  ].join('\n'));
  const graph = new CallGraph([helpers, main]);
  const calls = new Map(main.getDescendantsOfKind(SyntaxKind.CallExpression).map((c) => [c.getExpression().getText(), c]));
  const may = (text: string): boolean => graph.mayInline(calls.get(text)!);
  for (const text of ['h.takeA', 'h.grab', 'renamed', 'h.retry', 'api.go', 'plain']) assert.equal(may(text), true, text);
  // `plain` above is a name bound to another module, which could be anything; `h.plain` names a function that takes no lock.
  for (const text of ['h.plain', 'view.fill', 'console.log', 'api.shout', 'api.answer.toFixed']) assert.equal(may(text), false, text);
});
