/**
 * `deadbolt report --html` as users run it: one self-contained page (inline script and styles, a policy that
 * forbids every load, the graph as JSON) with the same findings `check --format json` reports; usage errors.
 * The page is opened and drawn in Chromium by client/e2e/report.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatHtml } from '../../src/cli/format/html.js';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

const graphData = (html: string) => JSON.parse(/<script id="deadbolt-graph" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);

test('report --html writes one page with every finding of check and the lock graph', () => {
  const cwd = path.join(CLI_FIXTURES, 'findings');
  const out = mkdtempSync(path.join(tmpdir(), 'deadbolt-report-'));
  try {
    const file = path.join(out, 'report.html');
    const run = deadbolt(['report', '--html', file], cwd);
    const check = JSON.parse(deadbolt(['check', '--format', 'json'], cwd).stdout) as { diagnostics: { file: string; line: number; rule: string }[] };
    assert.equal(run.status, 1, 'the status says errors were found, like check');
    assert.match(run.stderr, /wrote .*report\.html \(2 findings, \d+ cycles?\)/);
    const html = readFileSync(file, 'utf8');
    const items = [...html.matchAll(/<li class="(\w+)" data-rule="([\w-]+)"><span class="where">([^<]+)<\/span>/g)].map((m) => `${m[3]!.replace(/:\d+$/, '')} ${m[2]}`);
    assert.deepEqual(items.sort(), check.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`).sort());
    const graph = JSON.parse(deadbolt(['graph', '--format', 'json'], cwd).stdout);
    assert.deepEqual(graphData(html), { graph });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the page is self-contained: inline script and styles only, and a policy that forbids loading anything', () => {
  const run = deadbolt(['report', '--html', '-'], path.join(CLI_FIXTURES, 'graph'));
  const html = run.stdout;
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">/);
  assert.doesNotMatch(html, /<script[^>]*\ssrc=/, 'no external script');
  assert.doesNotMatch(html, /<link\b/, 'no external stylesheet');
  assert.doesNotMatch(html, /\b(src|href)="(https?:)?\/\//, 'no remote resource');
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2, 'the graph data and the bundled script');
  assert.ok(scripts[1]![1]!.length > 10_000, 'the graph code is inlined');
  const data = graphData(html);
  assert.ok(data.graph.cycles.length > 0, 'the graph fixture has a cycle');
});

test('text in findings and lock names is escaped, and the data cannot close its script element', () => {
  const span = { file: '/app/src/a.ts', line: 3, column: 1, endLine: 3, endColumn: 9, start: 0, end: 8 };
  const html = formatHtml({
    findings: [{ rule: 'lock-order', severity: 'error', message: 'takes `<img src=x onerror=alert(1)>`', span, related: [{ span, message: '<b>bold</b>' }], fixes: [] }],
    graph: { nodes: [{ id: 'x', name: '</script><script>alert(1)</script>', kind: 'Mutex' }], edges: [], cycles: [] },
    files: 1, cwd: '/app', version: '0.0.0', script: 'const s = "</script>";', css: '',
  });
  assert.ok(html.includes('takes `&lt;img src=x onerror=alert(1)&gt;`'));
  assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt;'));
  assert.doesNotMatch(html, /<img|<b>/);
  // Only the two script elements of the page close; neither the data nor the code ends one early.
  assert.equal(html.match(/<\/script>/g)!.length, 2);
  assert.equal(graphData(html).graph.nodes[0].name, '</script><script>alert(1)</script>');
});

test('usage: --html is required by report and refused elsewhere; --format is refused by report', () => {
  const cwd = path.join(CLI_FIXTURES, 'clean');
  const missing = deadbolt(['report'], cwd);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /report needs '--html <file>'/);
  assert.equal(deadbolt(['report', '--format', 'json', '--html', '-'], cwd).status, 2);
  const elsewhere = deadbolt(['check', '--html', 'x.html'], cwd);
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /'--html' only applies to report/);
  assert.match(deadbolt(['--help'], cwd).stdout, /deadbolt report \[paths\.\.\.\] --html out\.html/);
});

test('a clean project makes a page with no findings and exit 0', () => {
  const run = deadbolt(['report', '--html', '-'], path.join(CLI_FIXTURES, 'clean'));
  assert.equal(run.status, 0);
  assert.match(run.stdout, /<p>No findings\.<\/p>/);
});
