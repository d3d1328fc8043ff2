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
  assert.ok(html.includes('takes <code>&lt;img src=x onerror=alert(1)&gt;</code>'));
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

test('a message\'s Markdown code spans show as code, not as backticks', () => {
  const span = { file: '/app/src/a.ts', line: 3, column: 1, endLine: 3, endColumn: 9, start: 0, end: 8 };
  const html = formatHtml({
    findings: [{ rule: 'lock-order', severity: 'error', message: 'Potential deadlock: `accounts` is taken while holding `ledger`.', span, related: [{ span, message: 'takes `ledger`' }], fixes: [] }],
    graph: { nodes: [], edges: [], cycles: [] }, files: 1, cwd: '/app', version: '0.0.0', script: '', css: '',
  });
  const findings = /<ul class="findings">([\s\S]*?)<\/ul>\s*<\/section>/.exec(html)![1]!;
  assert.ok(findings.includes('Potential deadlock: <code>accounts</code> is taken while holding <code>ledger</code>.'), findings);
  assert.ok(findings.includes('takes <code>ledger</code>'));
  assert.doesNotMatch(findings, /`/);
});

test('the page follows prefers-color-scheme, and every text colour of both schemes reads at 4.5:1 or more', () => {
  const html = formatHtml({ findings: [], graph: { nodes: [], edges: [], cycles: [] }, files: 0, cwd: '/app', version: '0.0.0', script: '', css: '' });
  assert.match(html, /color-scheme: light dark/);
  const dark = /@media \(prefers-color-scheme: dark\) \{ :root \{([^}]*)\} \}/.exec(html)?.[1];
  const light = /:root \{ color-scheme: light dark;([^}]*)\}/.exec(html)?.[1];
  assert.ok(dark && light, 'a light palette and a dark one');
  const palette = (block: string) => new Map([...block.matchAll(/(--[\w-]+): (#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
  // The colour pairs the page and the graph paint text with: text colour, then what is behind it.
  const pairs = [
    ['--vscode-foreground', '--vscode-editor-background'], ['--vscode-editor-foreground', '--vscode-editorWidget-background'],
    ['--vscode-descriptionForeground', '--vscode-editor-background'], ['--vscode-errorForeground', '--vscode-editor-background'],
    ['--vscode-badge-foreground', '--vscode-badge-background'], ['--vscode-input-foreground', '--vscode-input-background'],
    ['--report-warning', '--vscode-editor-background'], ['--report-info', '--vscode-editor-background'],
    ['--vscode-foreground', '--report-button-background'], ['--vscode-foreground', '--report-code-background'],
  ];
  for (const [name, block] of [['light', light], ['dark', dark]] as const) {
    const colours = palette(block);
    for (const [text, background] of pairs) {
      const ratio = contrast(colours.get(text!)!, colours.get(background!)!);
      assert.ok(ratio >= 4.5, `${name}: ${text} on ${background} is ${ratio.toFixed(2)}:1`);
    }
  }
});

/** WCAG 2's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
