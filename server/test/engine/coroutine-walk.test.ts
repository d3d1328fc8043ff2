/**
 * `forEachInlineNode`, the blocking rules' walk over a body: it hands over only the nodes that can block (calls,
 * and loops that may busy-wait), in document order, enters callbacks that run in place and sync, and skips
 * functions that run later or as their own coroutine.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Project, SyntaxKind, ts, type Node } from 'ts-morph';
import { forEachInlineNode } from '../../src/engine/detect/blocking-summary.js';

test('forEachInlineNode visits the calls and loops that run as part of a body, in order, and nothing else', () => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const file = project.createSourceFile('/a.ts', [
    'declare function a(): void; declare function b(): void; declare function c(): void; declare function d(): void;',
    'export async function run(xs: number[]): Promise<void> {',
    '  a();',
    '  xs.forEach(() => b());',
    '  setTimeout(() => c(), 1);',
    '  const later = async () => d();',
    '  while (Date.now() < 0) {}',
    '  for (const x of xs) c();',
    '  new Promise<void>((resolve) => { b(); resolve(); });',
    '}',
    'export const arrow = () => a();',
  ].join('\n'));
  const visited = (body: Node): string[] => {
    const seen: string[] = [];
    forEachInlineNode(body, (node) => seen.push(`${node.getKindName()} ${node.getText().split('\n')[0]!.slice(0, 20)}`));
    return seen;
  };
  assert.deepEqual(visited(file.getFunctionOrThrow('run').getBody()!), [
    'CallExpression a()',
    'CallExpression xs.forEach(() => b()',
    'CallExpression b()',
    'CallExpression setTimeout(() => c()',
    'WhileStatement while (Date.now() < ',
    'CallExpression Date.now()',
    'CallExpression c()',
    'CallExpression b()',
    'CallExpression resolve()',
  ]);
  const arrow = file.getVariableDeclarationOrThrow('arrow').getInitializerIfKindOrThrow(SyntaxKind.ArrowFunction);
  assert.deepEqual(visited(arrow.getBody()), ['CallExpression a()'], "an arrow's expression body is itself visited");
});
