/**
 * Calls settled by their names without the type checker: a method call whose name no function of the program's own
 * files goes by (detect/callee-names.ts, for the blocking rules' helper chains), and `this.#name()`, whose private
 * name the call graph resolves lexically. Each way a call reaches a helper must still resolve to it, and the calls
 * settled by name must not reach the checker at all (counted on the checker's `getSymbolAtLocation`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Project, SyntaxKind, ts, type CallExpression, type SourceFile } from 'ts-morph';
import { resolveSyncCallee } from '../../src/engine/detect/blocking-summary.js';
import { CallGraph } from '../../src/engine/model/call-graph.js';

/** A project of in-memory files and a count of the type checker's symbol lookups made after `start()`. */
function projectOf(files: Record<string, string>): { project: Project; file(name: string): SourceFile; start(): void; lookups(): number } {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, allowJs: true } });
  for (const [name, text] of Object.entries(files)) project.createSourceFile(name, text);
  let count = 0;
  return {
    project,
    file: (name) => project.getSourceFileOrThrow(name),
    start() {
      const checker = project.getTypeChecker().compilerObject;
      const lookup = checker.getSymbolAtLocation.bind(checker);
      checker.getSymbolAtLocation = (node: ts.Node) => {
        count++;
        return lookup(node);
      };
    },
    lookups: () => count,
  };
}

function callsIn(file: SourceFile): Map<string, CallExpression> {
  return new Map(file.getDescendantsOfKind(SyntaxKind.CallExpression).map((c) => [c.getExpression().getText(), c]));
}

/** The name of the function-like a call resolves to: its own, or the variable or property it initialises. */
function nameOf(fn: { getParent(): unknown } | undefined): string | undefined {
  if (fn === undefined) return undefined;
  const node = fn as unknown as { getName?(): string; getParent(): { getName?(): string } };
  return node.getName?.() ?? node.getParent().getName?.();
}

test('resolveSyncCallee: helpers reached by their names and by aliases still resolve; other method calls skip the checker', () => {
  const files = projectOf({
    '/helpers.ts': [
      'export function spin(): void { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); }',
      'export { spin as pause };',
      'export const arrow = (): void => spin();',
      'export default function (): void { spin(); }',
      'export class Box { hold(): void { spin(); } static make(): Box { return new Box(); } #own(): void { spin(); } run(): void { this.#own(); } }',
    ].join('\n'),
    '/legacy.js': 'function slow() { return 1; }\nexports.later = slow;\n',
    '/main.ts': [
      "import * as h from './helpers.js';",
      "import legacy = require('./legacy.js');",
      'export async function run(view: DataView, box: h.Box): Promise<void> {',
      '  h.spin(); h.pause(); h.arrow(); h.default(); box.hold(); h.Box.make(); legacy.later();',
      '  view.setInt32(0, 1); console.log(1); await Promise.resolve(); [1].includes(1); Math.max(1, 2);',
      '}',
    ].join('\n'),
  });
  const calls = callsIn(files.file('/main.ts'));
  files.start();
  const resolved = (text: string): string | undefined => nameOf(resolveSyncCallee(calls.get(text)!));
  assert.equal(resolved('h.spin'), 'spin');
  assert.equal(resolved('h.pause'), 'spin', 'an export alias read through a namespace');
  assert.equal(resolved('h.arrow'), 'arrow');
  assert.ok(resolveSyncCallee(calls.get('h.default')!), 'a default export read through a namespace');
  assert.equal(resolved('box.hold'), 'hold');
  assert.equal(resolved('h.Box.make'), 'make');
  assert.equal(resolved('legacy.later'), 'slow', "JavaScript's `exports.later = slow`");
  const asked = files.lookups();
  for (const text of ['view.setInt32', 'console.log', 'Promise.resolve', '[1].includes', 'Math.max']) {
    assert.equal(resolveSyncCallee(calls.get(text)!), undefined, text);
  }
  assert.equal(files.lookups(), asked, 'a method name no own function has was asked of the type checker');
  const own = callsIn(files.file('/helpers.ts')).get('this.#own')!;
  assert.equal(nameOf(resolveSyncCallee(own)), '#own');
});

test('CallGraph: `this.#name()` is the enclosing class member that declares the name, found without the checker', () => {
  const files = projectOf({
    '/vfs.js': [
      'export class Outer {',
      '  #acquire(name) { return navigator.locks.request(name, () => {}); }',
      '  get #state() { return 1; }',
      '  lock() { return this.#acquire("a"); }',
      '  nested() {',
      '    const self = this;',
      '    return class Inner {',
      '      #acquire() { return 2; }',
      '      mine() { return this.#acquire(); }',
      '      outer() { return self.#release(); }',
      '    };',
      '  }',
      '  #release() { return this.#state; }',
      '  missing() { return this.#gone?.(); }',
      '}',
    ].join('\n'),
  });
  const file = files.file('/vfs.js');
  const graph = new CallGraph([file]);
  files.start();
  const byLine = new Map(file.getDescendantsOfKind(SyntaxKind.CallExpression).map((c) => [c.getStartLineNumber(), c]));
  const at = (line: number): string | undefined => {
    const fn = graph.calleeOf(byLine.get(line)!);
    return fn && `${nameOf(fn)}@${fn.getStartLineNumber()}`;
  };
  assert.equal(at(4), '#acquire@2');
  assert.equal(at(9), '#acquire@8', 'the inner class declares its own #acquire, which shadows the outer one');
  assert.equal(at(10), '#release@13', 'the inner class does not declare #release: the outer one is meant');
  assert.equal(at(14), undefined, 'no class declares #gone');
  assert.equal(files.lookups(), 0, 'a private name was asked of the type checker');
});
