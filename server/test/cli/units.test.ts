/** In-process tests of the CLI's pure parts: argument parsing, fix selection, graph formats, colour and progress. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine, UsageError } from '../../src/cli/args.js';
import { applyTextEdits, chooseFixes } from '../../src/cli/fix.js';
import { formatGraph } from '../../src/cli/format/graph.js';
import { unifiedDiff } from '../../src/cli/format/diff.js';
import { minimizeEdit } from '../../src/engine/fixes/minimal-edits.js';
import { formatText } from '../../src/cli/format/text.js';
import { createProgress } from '../../src/cli/progress.js';
import type { Finding, Fix } from '../../src/engine/types.js';
import type { StaticLockGraph } from '../../src/protocol/index.js';

function finding(line: number, fixes: Fix[] = [], severity: Finding['severity'] = 'error'): Finding {
  return {
    rule: 'non-atomic-update',
    severity,
    message: `problem on ${line}`,
    related: [],
    fixes,
    span: { file: '/p/src/a.ts', line, column: 3, endLine: line, endColumn: 9, start: line * 10, end: line * 10 + 6 },
  };
}

const edit = (start: number, end: number, newText: string) => ({ file: '/p/src/a.ts', start, end, newText });

test('parseCommandLine: defaults, short flags and positional paths', () => {
  const newFlags = { verbose: false, cache: false, cacheLocation: undefined };
  assert.deepEqual(parseCommandLine(['check']), { name: 'check', paths: [], project: undefined, config: undefined, format: 'text', fix: false, unsafeFixes: false, diff: false, quiet: false, ...newFlags });
  assert.deepEqual(parseCommandLine(['check', 'src', 'lib', '-f', 'json', '-p', 'tsconfig.json', '--fix', '-q']), {
    name: 'check', paths: ['src', 'lib'], project: 'tsconfig.json', config: undefined, format: 'json', fix: true, unsafeFixes: false, diff: false, quiet: true, ...newFlags,
  });
  assert.deepEqual(parseCommandLine(['check', '--cache', '--cache-location', 'ci/', '--verbose']), {
    name: 'check', paths: [], project: undefined, config: undefined, format: 'text', fix: false, unsafeFixes: false, diff: false, quiet: false, verbose: true, cache: true, cacheLocation: 'ci/',
  });
  assert.throws(() => parseCommandLine(['check', '--cache-location', 'x']), /goes with --cache/);
  assert.throws(() => parseCommandLine(['graph', '--cache']), /only applies to check/);
  assert.equal((parseCommandLine(['check', '--diff', '--unsafe-fixes']) as { diff: boolean; unsafeFixes: boolean }).unsafeFixes, true);
  assert.throws(() => parseCommandLine(['check', '--unsafe-fixes']), /goes with --fix or --diff/);
  assert.throws(() => parseCommandLine(['check', '--fix', '--diff']), UsageError);
  assert.throws(() => parseCommandLine(['graph', '--diff']), /only applies to check/);
  assert.deepEqual(parseCommandLine(['graph', '--format=mermaid']), { name: 'graph', paths: [], project: undefined, config: undefined, format: 'mermaid', ...newFlags });
  assert.deepEqual(parseCommandLine([]), { name: 'help' });
  assert.throws(() => parseCommandLine(['check', '--format', 'dot']), UsageError);
});

test('chooseFixes takes safe fixes only (any with unsafe), and skips one that overlaps or inserts at the same place', () => {
  const fixes = [
    finding(1, [{ title: 'a', safety: 'safe', preferred: true, edits: [edit(0, 5, 'A'), edit(100, 100, 'import')] }]),
    finding(2, [{ title: 'b', safety: 'safe', preferred: true, edits: [edit(3, 8, 'B')] }]), // overlaps a
    finding(3, [{ title: 'c', safety: 'safe', preferred: true, edits: [edit(20, 25, 'C'), edit(100, 100, 'import')] }]), // same insertion point
    finding(4, [{ title: 'd', safety: 'unsafe', preferred: false, edits: [edit(40, 45, 'D')] }]), // not preferred
    finding(5, [{ title: 'e', safety: 'safe', preferred: true, edits: [edit(50, 55, 'E')] }]),
  ];
  const chosen = chooseFixes(fixes);
  assert.equal(chosen.fixes, 2);
  assert.deepEqual(chosen.byFile.get('/p/src/a.ts')!.map((e) => e.newText), ['A', 'import', 'E']);
  const withUnsafe = chooseFixes(fixes, true);
  assert.equal(withUnsafe.fixes, 3);
  assert.deepEqual(withUnsafe.byFile.get('/p/src/a.ts')!.map((e) => e.newText), ['A', 'import', 'D', 'E']);
});

test('unifiedDiff shows only the lines that change: unchanged lines inside a rewritten region are context', () => {
  const text = ['function f() {', '  a.lock(); // eslint-disable-line', '  work();', '  // TODO: batch', '  more();', '  b.lock();', '}', ''].join('\n');
  // One edit that rewrites the whole body but changes two lines of it, as a fix builder writes it.
  const start = text.indexOf('  a.lock()');
  const end = text.indexOf('}');
  const body = text.slice(start, end).replace('a.lock()', 'X').replace('b.lock()', 'a.lock()').replace('X', 'b.lock()');
  const diff = unifiedDiff('f.ts', text, [{ file: 'f.ts', start, end, newText: body }]);
  assert.equal(diff, [
    '--- a/f.ts',
    '+++ b/f.ts',
    '@@ -1,7 +1,7 @@',
    ' function f() {',
    '-  a.lock(); // eslint-disable-line',
    '+  b.lock(); // eslint-disable-line',
    '   work();',
    '   // TODO: batch',
    '   more();',
    '-  b.lock();',
    '+  a.lock();',
    ' }',
    '',
  ].join('\n'));
});

test('minimizeEdit turns a region rewrite into the runs of lines that change, and keeps edits that change nothing', () => {
  const text = 'a();\nb(); // keep\nc();\nd();\n';
  const edit = { file: 'f.ts', start: 0, end: text.length, newText: 'a();\nb(); // keep\nC();\nd();\n' };
  assert.deepEqual(minimizeEdit(edit, text), [{ file: 'f.ts', start: text.indexOf('c();'), end: text.indexOf('c();') + 1, newText: 'C' }]);
  const same = { file: 'f.ts', start: 0, end: 4, newText: 'a();' };
  assert.deepEqual(minimizeEdit(same, text), [same]);
  const moved = minimizeEdit({ file: 'f.ts', start: 0, end: text.length, newText: 'a();\nc();\nb(); // keep\nd();\n' }, text);
  assert.equal(applyTextEdits(text, moved), 'a();\nc();\nb(); // keep\nd();\n');
  assert.ok(moved.every((e) => e.start >= text.indexOf('b();')), 'the first line is not touched');
});

test('applyTextEdits applies from the end so offsets stay valid', () => {
  assert.equal(applyTextEdits('0123456789', [edit(1, 2, 'one'), edit(5, 5, '+'), edit(8, 10, '')]), '0one234+567');
});

const graph: StaticLockGraph = {
  nodes: [
    { id: 'a', name: 'accounts', kind: 'Mutex', rank: 1 },
    { id: 'b', name: 'audit "log"', kind: 'Mutex' },
    { id: 'c', name: 'cache', kind: 'Semaphore' },
  ],
  edges: [
    { from: 'a', to: 'b', chains: [{ steps: [] }] },
    { from: 'b', to: 'a', chains: [{ steps: [] }, { steps: [] }] },
    { from: 'a', to: 'c', chains: [{ steps: [] }] },
  ],
  cycles: [['a', 'b']],
};

test('graph as dot: quoted labels, chain counts, cycle edges in red', () => {
  const dot = formatGraph(graph, 'dot');
  assert.match(dot, /^digraph locks \{/);
  assert.match(dot, /n1 \[label="audit \\"log\\" \(Mutex\)"\];/);
  assert.match(dot, /n0 \[label="accounts \(Mutex, rank 1\)"\];/);
  assert.match(dot, /n0 -> n1 \[label="1 chain", color=red, penwidth=2\];/);
  assert.match(dot, /n1 -> n0 \[label="2 chains", color=red, penwidth=2\];/);
  assert.match(dot, /n0 -> n2 \[label="1 chain"\];/);
});

test('graph as mermaid and json', () => {
  const mermaid = formatGraph(graph, 'mermaid').split('\n');
  assert.equal(mermaid[0], 'flowchart LR');
  assert.ok(mermaid.includes('  n1["audit #quot;log#quot; (Mutex)"]'));
  assert.ok(mermaid.includes('  n0 --> n2'));
  assert.ok(mermaid.includes('  linkStyle 0,1 stroke:red,stroke-width:2px'));
  assert.deepEqual(JSON.parse(formatGraph(graph, 'json')), graph);
});

test('text: colour codes only when asked; info counted in the summary', () => {
  const findings = [finding(1), finding(2, [], 'warning'), finding(3, [], 'info')];
  const plain = formatText(findings, '/p', false);
  assert.doesNotMatch(plain, /\u001b\[/);
  assert.match(plain, /✖ 3 problems \(1 error, 1 warning, 1 info\)/);
  assert.match(formatText(findings, '/p', true), /\u001b\[31merror/);
  assert.equal(formatText([], '/p', true), '');
});

test('progress: silent unless the stream is a terminal; one updating line, erased at the end', () => {
  const written: string[] = [];
  const piped = createProgress({ isTTY: false, write: (text: string) => written.push(text) });
  piped.update(1, 2);
  piped.done();
  assert.deepEqual(written, []);

  let clock = 5_000;
  const lines: string[] = [];
  const tty = createProgress({ isTTY: true, write: (text: string) => lines.push(text) }, () => clock);
  tty.update(1, 1000);
  clock += 50;
  tty.update(2, 1000); // throttled: within 100 ms of the previous line
  clock += 60;
  tty.update(3, 1000);
  tty.update(1000, 1000); // the last one always shows
  tty.done();
  assert.deepEqual(lines, [
    '\r\u001b[2KAnalysing 1/1000 files…',
    '\r\u001b[2KAnalysing 3/1000 files…',
    '\r\u001b[2KAnalysing 1000/1000 files…',
    '\r\u001b[2K',
  ]);
});
