/** `deadbolt check` output formats on test-fixtures/cli/findings: SARIF 2.1.0 and the stylish text report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

test('sarif: a valid 2.1.0 log with rules, levels, locations and fixes', () => {
  const run = deadbolt(['check', '--format', 'sarif'], path.join(CLI_FIXTURES, 'findings'));
  assert.equal(run.status, 1);
  const log = JSON.parse(run.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const [sarifRun] = log.runs;
  assert.equal(sarifRun.tool.driver.name, 'deadbolt');
  const ruleIds = sarifRun.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(ruleIds.includes('non-atomic-update') && ruleIds.includes('sync-io-in-async') && ruleIds.includes('lock-order'));
  for (const rule of sarifRun.tool.driver.rules) assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
  assert.equal(sarifRun.results.length, 2);
  for (const result of sarifRun.results) {
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    // sync-io-in-async is a warning by default; the race is an error.
    assert.equal(result.level, result.ruleId === 'sync-io-in-async' ? 'warning' : 'error');
    assert.equal(typeof result.message.text, 'string');
    assert.ok(Array.isArray(result.relatedLocations));
  }
  const [io] = sarifRun.results;
  assert.deepEqual(io.locations[0].physicalLocation, {
    artifactLocation: { uri: 'src/io.ts', uriBaseId: '%SRCROOT%' },
    region: { startLine: 5, startColumn: 17, endLine: 5, endColumn: 55 },
  });
  assert.match(sarifRun.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/findings\/$/);
  assert.equal(io.fixes[0].artifactChanges[0].artifactLocation.uri, 'src/io.ts');
  assert.equal(io.fixes[0].properties.safety, 'safe');
  // Edits are minimal (only the characters that change), so the call's new name is inserted without its arguments.
  assert.ok(io.fixes[0].artifactChanges[0].replacements.some((r: { insertedContent: { text: string } }) => r.insertedContent.text.includes('await readFile')));
});

test('text: stylish layout with a file header, aligned rows and the summary; no colour when piped', () => {
  const run = deadbolt(['check'], path.join(CLI_FIXTURES, 'findings'));
  assert.equal(run.status, 1);
  const lines = run.stdout.split('\n');
  assert.ok(lines.includes('src/io.ts'));
  assert.ok(lines.includes('src/stats.ts'));
  assert.ok(lines.some((l) => /^  5:17  warning  `readFileSync\(\)` .*  sync-io-in-async$/.test(l)));
  assert.ok(lines.some((l) => /^  7:3  error\s+`counts\[slot\]` .*  non-atomic-update$/.test(l)));
  assert.ok(lines.includes('✖ 2 problems (1 error, 1 warning)'));
  assert.doesNotMatch(run.stdout, /\u001b\[/);
});

test('graph: the static lock graph of a project with an inverted pair, as json and dot', () => {
  const cwd = path.join(CLI_FIXTURES, 'graph');
  const json = deadbolt(['graph', '--format', 'json'], cwd);
  assert.equal(json.status, 0);
  const graph = JSON.parse(json.stdout) as { nodes: { id: string; name: string }[]; edges: { from: string; to: string }[]; cycles: string[][] };
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual([...names.values()].sort(), ['checking', 'savings']);
  assert.deepEqual(graph.edges.map((e) => `${names.get(e.from)}->${names.get(e.to)}`).sort(), ['checking->savings', 'savings->checking']);
  assert.equal(graph.cycles.length, 1);

  const dot = deadbolt(['graph'], cwd);
  assert.equal(dot.status, 0);
  assert.match(dot.stdout, /^digraph locks \{/);
  assert.equal((dot.stdout.match(/color=red/g) ?? []).length, 2, 'both edges of the cycle drawn red');
  assert.doesNotMatch(dot.stdout, /\/work\/|transfer\.ts/, 'no machine-specific paths');
});
