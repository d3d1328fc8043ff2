/**
 * `--fix` over a whole file for `blocking-in-async`: the CLI's rounds of analyse, choose non-overlapping fixes and
 * write, run in-process on a scratch copy, until the file is clean and no import is left unused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/engine/index.js';
import { chooseFixes, writeFixes } from '../../src/cli/fix.js';

/** Under server/dist, so the scratch program resolves @types/node and @deadbolt/runtime like a real one. */
const SCRATCH_PARENT = fileURLToPath(new URL('../../', import.meta.url));

function fixAll(source: string): { text: string; rounds: number; left: string[] } {
  const dir = mkdtempSync(path.join(SCRATCH_PARENT, 'blocking-fix-'));
  try {
    const file = path.join(dir, 'program.ts');
    writeFileSync(file, source);
    let rounds = 0;
    for (; rounds < 10; rounds++) {
      const findings = analyze({ cwd: dir, paths: ['.'], config: {} }).findings.filter((f) => f.rule === 'blocking-in-async');
      const chosen = chooseFixes(findings);
      if (chosen.fixes === 0) break;
      writeFixes(chosen.byFile);
    }
    const left = analyze({ cwd: dir, paths: ['.'], config: {} }).findings.map((f) => `${f.rule}:${f.span.line}`);
    return { text: readFileSync(file, 'utf8'), rounds, left };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('fixing every readFileSync of a file removes the import once the last one is gone', () => {
  const { text, left } = fixAll(
    [
      "import { existsSync, readFileSync } from 'node:fs';",
      '',
      'export async function a(p: string): Promise<string> {',
      "  return readFileSync(p, 'utf8');",
      '}',
      '',
      'export async function b(p: string): Promise<number> {',
      '  return readFileSync(p).length;',
      '}',
      '',
      'export function has(p: string): boolean {',
      '  return existsSync(p);',
      '}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(left, []);
  assert.equal(
    text,
    [
      "import { existsSync } from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      '',
      'export async function a(p: string): Promise<string> {',
      "  return await readFile(p, 'utf8');",
      '}',
      '',
      'export async function b(p: string): Promise<number> {',
      '  return (await readFile(p)).length;',
      '}',
      '',
      'export function has(p: string): boolean {',
      '  return existsSync(p);',
      '}',
      '',
    ].join('\n'),
  );
});

test('with the twin already imported, fixes of one import still land one per round so the last removes it', () => {
  const { text, left } = fixAll(
    [
      "import { readFile } from 'node:fs/promises';",
      "import { readFileSync, statSync } from 'node:fs';",
      '',
      'export async function a(p: string): Promise<string> {',
      "  return readFileSync(p, 'utf8') + (await readFile(p, 'utf8'));",
      '}',
      '',
      'export async function b(p: string): Promise<number> {',
      '  return readFileSync(p).length + statSync(p).size;',
      '}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(left, []);
  assert.match(text, /^import \{ readFile, stat \} from 'node:fs\/promises';\n\nexport/);
  assert.doesNotMatch(text, /Sync/);
});

test('lockAll used twice: both calls become lockAllAsync and the runtime import ends with only the twin', () => {
  const { text, left } = fixAll(
    [
      "import { Mutex, lockAll } from '@deadbolt/runtime';",
      '',
      "const a = new Mutex({ name: 'a' });",
      "const b = new Mutex({ name: 'b' });",
      '',
      'export async function one(): Promise<void> {',
      '  lockAll([a, b], () => undefined);',
      '}',
      '',
      'export async function two(): Promise<number> {',
      '  return lockAll([b, a], () => 2);',
      '}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(left, []);
  assert.match(text, /^import \{ Mutex, lockAllAsync \} from '@deadbolt\/runtime';\n/);
  assert.match(text, /  await lockAllAsync\(\[a, b\], \(\) => undefined\);/);
  assert.match(text, /  return await lockAllAsync\(\[b, a\], \(\) => 2\);/);
});
