/**
 * `--fix` over a whole file for `blocking-in-async`: the CLI's own command (`deadbolt check --fix`) run
 * in-process on a scratch copy, so its rounds of analyse, choose non-overlapping fixes and write must leave the
 * file clean and no import unused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';

/** Under server/dist, so the scratch program resolves @types/node and @deadbolt/runtime like a real one. */
const SCRATCH_PARENT = fileURLToPath(new URL('../../', import.meta.url));

async function fixAll(source: string): Promise<{ text: string; left: string[] }> {
  const dir = mkdtempSync(path.join(SCRATCH_PARENT, 'blocking-fix-'));
  try {
    const file = path.join(dir, 'program.ts');
    writeFileSync(file, source);
    let stdout = '';
    let stderr = '';
    const io = {
      cwd: dir,
      env: {},
      stdout: { write: (text: string) => ((stdout += text), true) },
      stderr: { write: (text: string) => ((stderr += text), true) },
    };
    await run(['check', '.', '--fix', '--format', 'json'], io);
    assert.equal(stderr, '', 'the fix run reports no error');
    const report = JSON.parse(stdout) as { diagnostics: { rule: string; line: number }[] };
    return { text: readFileSync(file, 'utf8'), left: report.diagnostics.map((d) => `${d.rule}:${d.line}`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('fixing every readFileSync of a file removes the import once the last one is gone', async () => {
  const { text, left } = await fixAll(
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

test('with the twin already imported, fixes of one import still land one per round so the last removes it', async () => {
  const { text, left } = await fixAll(
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

test('lockAll used twice: both calls become lockAllAsync and the runtime import ends with only the twin', async () => {
  const { text, left } = await fixAll(
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
