/**
 * The shared fixture harness. Fixture files are data: a line where a finding must start ends with
 * `// expect: <rule-id>[, <rule-id>]`. `checkFixtureFolder` analyses a folder of test-fixtures as one program
 * and generates one test per file asserting, for the folder's rules, exactly the expected lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { discoverFiles } from '../../src/engine/files.js';
import { analyze, RULE_IDS, type AnalysisResult, type DeadboltConfig, type Finding, type RuleId } from '../../src/engine/index.js';

/** Absolute path of the repository's test-fixtures folder (this file runs from server/dist/test/helpers). */
export const FIXTURES_ROOT = fileURLToPath(new URL('../../../../test-fixtures/', import.meta.url));

const EXPECT = /\/\/\s*expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$/;

/** The 1-based lines of `text` whose trailing `// expect:` comment names `rule`. */
export function expectedLines(text: string, rule: RuleId): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const match = EXPECT.exec(line.trimEnd());
    if (match && match[1]!.split(',').map((r) => r.trim()).includes(rule)) lines.push(index + 1);
  });
  return lines;
}

/** Every rule switched on at its default severity, so fixtures see every finding. */
const ALL_RULES_ON: DeadboltConfig = {};

const cache = new Map<string, AnalysisResult>();

/** Analyses one fixture folder (relative to test-fixtures, or absolute) as a single program; cached per folder and config. */
export function analyzeFixtureFolder(folder: string, config: DeadboltConfig = ALL_RULES_ON): AnalysisResult {
  const absolute = path.resolve(FIXTURES_ROOT, folder);
  const key = `${absolute}\0${JSON.stringify(config)}`;
  let result = cache.get(key);
  if (!result) {
    result = analyze({ cwd: absolute, paths: ['.'], config });
    cache.set(key, result);
  }
  return result;
}

function describeFinding(f: Finding): string {
  return `${path.basename(f.span.file)}:${f.span.line}:${f.span.column} ${f.rule}: ${f.message}`;
}

/**
 * Registers one test per fixture file of `test-fixtures/<folder>` (sub-folders included).
 * The rules checked are the folder's own rule, or every rule for `clean` (where no finding may appear) and
 * `lock-models` (configured lock classes, every rule at once), or
 * `options.rules` for folders that show two rules side by side.
 */
export function checkFixtureFolder(folder: RuleId | 'clean' | 'lock-models', options: { config?: DeadboltConfig; rules?: readonly RuleId[] } = {}): void {
  const checked: readonly RuleId[] = options.rules ?? (folder === 'clean' || folder === 'lock-models' ? RULE_IDS : [folder]);
  const absolute = path.join(FIXTURES_ROOT, folder);
  // The engine's own discovery decides what a folder holds, so the harness and the engine never disagree.
  const files = discoverFiles(absolute, ['.']);
  assert.ok(files.length > 0, `no fixture files in ${absolute}`);
  for (const file of files) {
    const name = path.relative(absolute, file);
    test(`${folder}: ${name}`, () => {
      const result = analyzeFixtureFolder(absolute, options.config);
      const text = readFileSync(file, 'utf8');
      for (const rule of checked) {
        const expected = expectedLines(text, rule);
        const found = result.findings.filter((f) => f.rule === rule && f.span.file === file);
        const actual = [...new Set(found.map((f) => f.span.line))].sort((a, b) => a - b);
        assert.deepEqual(
          actual,
          expected,
          `${rule} in ${name}: expected findings on lines [${expected.join(', ')}], got:\n  ${found.map(describeFinding).join('\n  ') || '(none)'}`,
        );
      }
    });
  }
}

/** The findings of `rule` in one fixture file (absolute, or relative to test-fixtures). */
export function findingsIn(folder: string, file: string, rule?: RuleId, config?: DeadboltConfig): Finding[] {
  const absoluteFile = path.resolve(FIXTURES_ROOT, folder, file);
  return analyzeFixtureFolder(folder, config).findings.filter(
    (f) => f.span.file === absoluteFile && (rule === undefined || f.rule === rule),
  );
}

/** Applies non-overlapping edits of one file to its text (the engine's own helper, which the gate uses too). */
export { applyEdits } from '../../src/engine/text-edits.js';
