/**
 * The analysis lifecycle seen from the protocol: runs overtaken by newer text never publish, a cancelled run loses
 * no edit, and an analysis worker that keeps dying is logged and abandoned while the server keeps answering.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LSP_FIXTURES, LspClient } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'workspace');
const SRC = join(WORKSPACE, 'src');

test('no publish ever carries findings of an older text than the version it names', async () => {
  const path = join(SRC, 'flicker.ts');
  const fixed = 'const counts = new Int32Array(new SharedArrayBuffer(8));\nexport function bump(): void {\n  Atomics.add(counts, 0, 1);\n}\n';
  const broken = fixed.replace('Atomics.add(counts, 0, 1);', 'counts[0] += 1;');
  // No quiet period: every edit may start a run, so runs really are overtaken by newer text.
  const eager = await LspClient.start({ folders: [WORKSPACE], initializationOptions: { debounceMs: 0 } });
  try {
    await flicker(eager, path, fixed, broken);
  } finally {
    await eager.stop();
  }
});

async function flicker(client: LspClient, path: string, fixed: string, broken: string): Promise<void> {
  const uri = await client.open(path, fixed);
  await client.diagnostics(uri);
  const from = client.publishes.length;
  // Alternate faster than the analysis can keep up with, so runs are superseded and cancelled mid-way.
  const brokenVersions = new Set<number>();
  let last = 0;
  for (let i = 0; i < 40; i++) {
    last = await client.change(uri, `${i % 2 === 0 ? broken : fixed}// ${i}\n`);
    if (i % 2 === 0) brokenVersions.add(last);
  }
  await client.diagnostics(uri);
  const seen = client.publishes.slice(from).filter((p) => p.uri === uri);
  assert.ok(seen.length >= 1 && seen.at(-1)!.version === last);
  for (const publish of seen) {
    const expected = brokenVersions.has(publish.version!) ? 1 : 0;
    assert.equal(publish.diagnostics.length, expected, `version ${publish.version} published ${publish.diagnostics.length} findings`);
  }
  // Far fewer analyses than edits were published: superseded runs were dropped, not queued.
  assert.ok(seen.length < 40, `${seen.length} publishes for 40 edits`);
}

test('an analysis worker that keeps dying is logged and given up on, and the server keeps answering', async () => {
  // A heap far too small for the engine: every worker runs out of memory while loading or analysing.
  const starved = await LspClient.start({ folders: [WORKSPACE], initializationOptions: { maxMemoryMb: 4 } });
  try {
    const uri = await starved.open(join(SRC, 'counter.ts'));
    await starved.logged(/analysis worker exited .*restarting/);
    await starved.logged(/analysis is off until the server restarts/);
    assert.equal(await starved.hover(uri, { line: 0, character: 0 }), null);
    assert.deepEqual(await starved.lockGraph(), { nodes: [], edges: [], cycles: [] });
    assert.deepEqual(await starved.codeActions(uri, { start: { line: 4, character: 2 }, end: { line: 4, character: 3 } }), []);
    assert.equal(starved.child.exitCode, null);
  } finally {
    await starved.stop();
  }
});

test('an edit that cancels a run is not lost when the next edit touches only an unrelated file', async () => {
  // Many files the engine must model, so a run is long enough to be overtaken while it walks them.
  const folder = mkdtempSync(join(tmpdir(), 'deadbolt-lsp-cancel-'));
  const body = Array.from({ length: 60 }, (_, i) => `export function f${i}(i: number): number {\n  return Atomics.add(counts, i % 4, ${i});\n}`).join('\n');
  for (let i = 0; i < 30; i++) writeFileSync(join(folder, `shared${i}.ts`), `const counts = new Int32Array(new SharedArrayBuffer(16));\n${body}\n`);
  writeFileSync(join(folder, 'plain.ts'), 'export const answer = 42;\n');
  const client = await LspClient.start({ folders: [folder], initializationOptions: { debounceMs: 0 } });
  try {
    const a = await client.open(join(folder, 'shared0.ts'));
    const plain = await client.open(join(folder, 'plain.ts'));
    await client.diagnostics(a);
    await client.diagnostics(plain);
    for (let round = 0; round < 5; round++) {
      // The lost update goes in, and at once an unrelated edit overtakes the run that would report it.
      await client.change(a, `${client.text(a)}export function bump${round}(): void { counts[0]++; }\n`);
      await client.change(plain, `${client.text(plain)}// ${round}\n`);
      const found = await client.diagnostics(a);
      assert.equal(found.filter((d) => d.code === 'non-atomic-update').length, round + 1, `round ${round}`);
    }
  } finally {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
