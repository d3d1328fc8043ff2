/**
 * Proves every fix. For each finding of each rule's fixture folder, each of its fixes is applied alone and must leave a
 * program that still type-checks against the real runtime, on which re-analysis no longer reports that finding and
 * reports nothing it did not report before. The runnable classic deadlock is fixed and then run 50 times in a row,
 * each run finishing (and deadlocking before). The tally is the table of docs/rules/fixes.md: the last test fails when
 * that table is stale, and `DEADBOLT_UPDATE_DOCS=1` rewrites it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { Project, ts } from 'ts-morph';
import { RULE_IDS, Workspace, type Finding, type Fix, type RuleId } from '../../src/engine/index.js';
import { discoverFiles } from '../../src/engine/files.js';
import { applyEdits, FIXTURES_ROOT } from '../helpers/fixtures.js';
import { fixtureProject } from '../helpers/fixture-project.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const TABLE_FILE = path.join(REPO, 'docs', 'rules', 'fixes.md');
const RUNS = 50;

interface Tally {
  findings: number;
  withFix: number;
  fixes: number;
  safe: number;
  proven: number;
}

const tallies = new Map<RuleId, Tally>();

function typeErrors(project: Project, file: string): string[] {
  return project
    .getSourceFileOrThrow(file)
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => `${path.basename(file)}:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, ' ')}`);
}

/** A finding as re-analysis can recognise it after lines moved: rule, file and message with numbers blanked. */
function keyOf(finding: Finding): string {
  return `${finding.rule}\0${finding.span.file}\0${finding.message.replace(/\d+/g, '#')}`;
}

function counts(findings: readonly Finding[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const f of findings) map.set(keyOf(f), (map.get(keyOf(f)) ?? 0) + 1);
  return map;
}

/** The texts of the files a fix edits, after it. */
function fixedTexts(fix: Fix, textOf: (file: string) => string): Map<string, string> {
  const byFile = new Map<string, Fix['edits']>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return new Map([...byFile].map(([file, edits]) => [file, applyEdits(textOf(file), edits)]));
}

/**
 * Applies one fix in the workspace and the type-checking project, checks it, and puts the original texts back.
 * Returns what failed, or an empty list.
 */
function prove(finding: Finding, fix: Fix, workspace: Workspace, project: Project, before: readonly Finding[], original: Map<string, string>): string[] {
  const texts = fixedTexts(fix, (file) => original.get(file) ?? readFileSync(file, 'utf8'));
  const problems: string[] = [];
  try {
    for (const [file, text] of texts) {
      workspace.setFile(file, text);
      project.getSourceFile(file)?.replaceWithText(text);
    }
    for (const file of texts.keys()) {
      if (!project.getSourceFile(file)) continue;
      for (const error of typeErrors(project, file)) problems.push(`does not type-check: ${error}`);
    }
    const afterFix = counts(workspace.analyze().findings);
    const beforeFix = counts(before);
    const fixed = keyOf(finding);
    if ((afterFix.get(fixed) ?? 0) >= (beforeFix.get(fixed) ?? 0)) problems.push('the finding is still reported');
    for (const [key, n] of afterFix) {
      if (n > (beforeFix.get(key) ?? 0)) problems.push(`reports something new: ${key.split('\0')[0]} ${key.split('\0')[2]}`);
    }
  } finally {
    for (const file of texts.keys()) {
      workspace.setFile(file, original.get(file)!);
      project.getSourceFile(file)?.replaceWithText(original.get(file)!);
    }
  }
  return problems;
}

for (const rule of RULE_IDS) {
  test(`every fix of every ${rule} finding in test-fixtures/${rule} is proven`, () => {
    const folder = path.join(FIXTURES_ROOT, rule);
    const files = discoverFiles(folder, ['.']);
    const original = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    const workspace = new Workspace({ cwd: folder, paths: ['.'], config: {} });
    const project = fixtureProject(files);
    const before = workspace.analyze().findings;
    const tally: Tally = { findings: 0, withFix: 0, fixes: 0, safe: 0, proven: 0 };
    const failures: string[] = [];
    for (const finding of before.filter((f) => f.rule === rule)) {
      tally.findings++;
      if (finding.fixes.length > 0) tally.withFix++;
      for (const fix of finding.fixes) {
        tally.fixes++;
        if (fix.safety === 'safe') tally.safe++;
        const problems = prove(finding, fix, workspace, project, before, original);
        if (problems.length === 0) tally.proven++;
        else failures.push(`${path.relative(folder, finding.span.file)}:${finding.span.line} "${fix.title}":\n    ${problems.join('\n    ')}`);
      }
    }
    tallies.set(rule, tally);
    assert.deepEqual(failures, [], `fixes that fail their proof:\n  ${failures.join('\n  ')}`);
  });
}

test('the classic deadlock example, fixed, runs to completion 50 times in a row (and deadlocked before)', (t) => {
  const source = path.join(FIXTURES_ROOT, 'examples', 'deadlock-classic.ts');
  const workspace = new Workspace({ cwd: path.dirname(source), paths: [path.basename(source)], config: {} });
  const before = workspace.analyze().findings;
  const finding = before.find((f) => f.rule === 'lock-order');
  assert.ok(finding, 'the example has its lock-order finding');
  const fix = finding.fixes[0];
  assert.ok(fix, 'and a fix');
  assert.match(fix.title, /^Take `a` and `b` together with lockAll/);
  const original = new Map([[source, readFileSync(source, 'utf8')]]);
  assert.deepEqual(prove(finding, fix, workspace, fixtureProject([source]), before, original), []);

  // Run it as a user would: compiled to JavaScript next to a node_modules that holds the real runtime.
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-proof-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'node_modules', '@deadbolt'), { recursive: true });
  symlinkSync(path.join(REPO, 'runtime'), path.join(dir, 'node_modules', '@deadbolt', 'runtime'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const compile = (text: string, name: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, transformSync(text, { loader: 'ts', format: 'esm', target: 'node20' }).code);
    return file;
  };
  const run = (file: string) => spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });

  const unfixed = run(compile(original.get(source)!, 'unfixed.js'));
  assert.equal(unfixed.status, 1, `the example deadlocks before the fix:\n${unfixed.stdout}${unfixed.stderr}`);
  assert.match(unfixed.stdout, /deadlock/);

  const fixed = compile(fixedTexts(fix, (f) => original.get(f)!).get(source)!, 'fixed.js');
  for (let i = 1; i <= RUNS; i++) {
    const result = run(fixed);
    assert.equal(result.status, 0, `run ${i} of ${RUNS} did not finish:\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /both actions finished/, `run ${i}`);
  }
});

/** The generated table: one row per rule, then the totals. */
function table(): string {
  const rows = [...tallies].map(([rule, t]) => ({ rule, ...t }));
  const total = rows.reduce((s, r) => ({ findings: s.findings + r.findings, withFix: s.withFix + r.withFix, fixes: s.fixes + r.fixes, safe: s.safe + r.safe, proven: s.proven + r.proven }), { findings: 0, withFix: 0, fixes: 0, safe: 0, proven: 0 });
  const percent = (n: number, d: number): string => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);
  const line = (name: string, t: Tally): string =>
    `| ${name} | ${t.findings} | ${t.withFix} (${percent(t.withFix, t.findings)}) | ${t.fixes} | ${t.safe} | ${percent(t.proven, t.fixes)} |`;
  return [
    '| rule | findings in its fixtures | with a fix | fixes | of them safe | proven |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => line(`[${r.rule}](${r.rule}.md)`, r)),
    line('**all rules**', total),
  ].join('\n');
}

const BEGIN = '<!-- fixes-table:begin (generated by server/test/engine/fixes-proven.test.ts) -->';
const END = '<!-- fixes-table:end -->';

// Top-level tests run in order, so by now every rule's test has filled in its tally.
test('docs/rules/fixes.md shows the table these proofs produce', () => {
  assert.equal(tallies.size, RULE_IDS.length, 'every rule was proven first');
  const doc = readFileSync(TABLE_FILE, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, `docs/rules/fixes.md keeps the table between ${BEGIN} and ${END}`);
  const wanted = table();
  if (process.env.DEADBOLT_UPDATE_DOCS === '1') writeFileSync(TABLE_FILE, `${doc.slice(0, start + BEGIN.length)}\n${wanted}\n${doc.slice(end)}`);
  else assert.equal(doc.slice(start + BEGIN.length, end).trim(), wanted, 'docs/rules/fixes.md is stale: run this test with DEADBOLT_UPDATE_DOCS=1');
});
