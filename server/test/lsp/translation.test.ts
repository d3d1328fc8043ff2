/**
 * The language server's pure translation pieces, without a process: settings parsing and merging, the choice of
 * fixes for fix-all, graph narrowing, and the identifier under the cursor.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Fix } from '../../src/engine/index.js';
import type { StaticLockGraph } from '../../src/protocol/index.js';
import { preferredEdits } from '../../src/lsp/codeActions.js';
import { identifierAt } from '../../src/lsp/hover.js';
import { filterGraph, mergeGraphs } from '../../src/lsp/lockGraph.js';
import { mergeConfig, parseSettings } from '../../src/lsp/settings.js';
import { toDiagnostic } from '../../src/lsp/diagnostics.js';
import { UriMap } from '../../src/lsp/files.js';
import { DiagnosticSeverity } from 'vscode-languageserver/node';

test('settings keep what is well-formed and report the rest', () => {
  const warnings: string[] = [];
  const settings = parseSettings(
    { enable: 'yes', rules: { 'lock-order': 'warning', 'no-such-rule': 'error', 'lock-leak': 'loud' }, blockingFunctions: ['sleep', 3, ''] },
    (message) => warnings.push(message),
  );
  assert.deepEqual(settings, { enable: true, rules: { 'lock-order': 'warning' }, blockingFunctions: ['sleep'] });
  assert.equal(warnings.length, 2);
  assert.match(warnings.join('\n'), /no-such-rule/);
  assert.match(warnings.join('\n'), /lock-leak/);
  assert.deepEqual(parseSettings(null, () => assert.fail('no warning for absent settings')).enable, true);
});

test('editor settings win per rule over deadbolt.config.json; blocking functions add up; ranks come from the file', () => {
  const merged = mergeConfig(
    { rules: { 'lock-order': 'error', 'lock-leak': 'off' }, blockingFunctions: ['sleep'], lockRanks: { accounts: 1 } },
    { enable: true, rules: { 'lock-order': 'info' }, blockingFunctions: ['sleep', 'fs#readSync'] },
  );
  assert.deepEqual(merged, {
    rules: { 'lock-order': 'info', 'lock-leak': 'off' },
    blockingFunctions: ['sleep', 'fs#readSync'],
    lockRanks: { accounts: 1 },
  });
  assert.deepEqual(mergeConfig({}, { enable: true, rules: {}, blockingFunctions: [] }), {});
});

test('"hint", which the extension offers, is accepted from settings and becomes a Hint diagnostic', () => {
  const warnings: string[] = [];
  const settings = parseSettings({ rules: { 'sync-io-in-async': 'hint', 'lock-order': 'faint' } }, (message) => warnings.push(message));
  assert.deepEqual(settings.rules, { 'sync-io-in-async': 'hint' });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /"faint" is not one of error, warning, info, hint, off/);
  const span = { file: '/a.ts', line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1 };
  const hint: Finding = { rule: 'sync-io-in-async', severity: 'hint', message: 'm', span, related: [], fixes: [] };
  assert.equal(toDiagnostic(hint, new UriMap(), 'file:///docs/rules/').severity, DiagnosticSeverity.Hint);
});

test("the file's ignore and overrides reach the engine through the merge, with the folder they are relative to", () => {
  const file = { ignore: ['vendor'], overrides: [{ files: ['scripts/**'], rules: { 'sync-io-in-async': 'off' as const } }], baseDir: '/repo' };
  const merged = mergeConfig(file, { enable: true, rules: { 'sync-io-in-async': 'error' }, blockingFunctions: [] });
  assert.deepEqual(merged, { ...file, rules: { 'sync-io-in-async': 'error' } });
});

function finding(fixes: Fix[]): Finding {
  const span = { file: '/a.ts', line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1 };
  return { rule: 'non-atomic-update', severity: 'error', message: 'm', span, related: [], fixes };
}

test('fix-all takes every preferred fix but none that overlaps one already taken', () => {
  const edit = (start: number, end: number, newText = 'x') => ({ file: '/a.ts', start, end, newText });
  const edits = preferredEdits([
    finding([{ title: 'first', safety: 'safe', preferred: true, edits: [edit(0, 10)] }]),
    finding([{ title: 'overlaps first', safety: 'safe', preferred: true, edits: [edit(5, 15)] }]),
    finding([{ title: 'not preferred', safety: 'unsafe', preferred: false, edits: [edit(20, 25)] }]),
    finding([{ title: 'disjoint, two edits', safety: 'safe', preferred: true, edits: [edit(30, 31), edit(40, 41)] }]),
    finding([{ title: 'same insertion point twice', safety: 'safe', preferred: true, edits: [edit(30, 30, 'a')] }, { title: 'again', safety: 'safe', preferred: true, edits: [edit(30, 30, 'a')] }]),
  ]);
  assert.deepEqual(
    edits.map((e) => [e.start, e.end]),
    [
      [0, 10],
      [30, 31],
      [40, 41],
      [30, 30],
    ],
  );
});

const at = (uri: string, line: number) => ({ uri, range: { start: { line, character: 0 }, end: { line, character: 9 } } });
const chain = (uri: string, from: number, to: number) => ({ steps: [{ location: at(uri, from), message: 'takes' }, { location: at(uri, to), message: 'then' }] });
const GRAPH: StaticLockGraph = {
  nodes: [
    { id: 'a', name: 'a', kind: 'Mutex', declaration: at('file:///w/locks.ts', 1) },
    { id: 'b', name: 'b', kind: 'Mutex', declaration: at('file:///w/locks.ts', 2) },
    { id: 'c', name: 'c', kind: 'Mutex', declaration: at('file:///w/other/c.ts', 1) },
  ],
  edges: [
    { from: 'a', to: 'b', chains: [chain('file:///w/one.ts', 3, 4)] },
    { from: 'b', to: 'a', chains: [chain('file:///w/two.ts', 3, 4)] },
  ],
  cycles: [['a', 'b']],
};

test('narrowing the graph to one file keeps the whole cycle through it; to a folder, what is declared there', () => {
  const one = filterGraph(GRAPH, ['file:///w/one.ts']);
  assert.deepEqual(one.edges.map((e) => `${e.from}${e.to}`), ['ab', 'ba']);
  assert.deepEqual(one.cycles, [['a', 'b']]);
  assert.deepEqual(one.nodes.map((n) => n.id), ['a', 'b']);
  const other = filterGraph(GRAPH, ['file:///w/other']);
  assert.deepEqual(other, { nodes: [GRAPH.nodes[2]], edges: [], cycles: [] });
  assert.deepEqual(filterGraph(GRAPH, ['file:///elsewhere']), { nodes: [], edges: [], cycles: [] });
});

test('merging graphs of several roots keeps each lock, edge and cycle once', () => {
  const merged = mergeGraphs([GRAPH, GRAPH, { nodes: [], edges: [], cycles: [] }]);
  assert.equal(merged.nodes.length, 3);
  assert.equal(merged.edges.length, 2);
  assert.equal(merged.cycles.length, 1);
  assert.deepEqual(mergeGraphs([]), { nodes: [], edges: [], cycles: [] });
});

test('the identifier under the cursor, from either side of it', () => {
  const text = 'accountsLock.unlock(); $x';
  assert.equal(identifierAt(text, 0), 'accountsLock');
  assert.equal(identifierAt(text, 5), 'accountsLock');
  assert.equal(identifierAt(text, 12), 'accountsLock');
  assert.equal(identifierAt(text, 15), 'unlock');
  assert.equal(identifierAt(text, 22), undefined);
  assert.equal(identifierAt(text, 24), '$x');
  assert.equal(identifierAt('a 12 b', 3), undefined);
});
