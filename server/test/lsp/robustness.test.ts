/**
 * The server under hostile input: syntax errors, code mid-typing, a huge file and a file outside every workspace
 * folder. None may crash or hang it, and findings still come wherever they can be made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LSP_FIXTURES, LspClient } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'workspace');
const SRC = join(WORKSPACE, 'src');

let client: LspClient;
let loose: string;
before(async () => {
  client = await LspClient.start({ folders: [WORKSPACE] });
  loose = mkdtempSync(join(tmpdir(), 'deadbolt-lsp-loose-'));
});
after(async () => {
  await client.stop();
  rmSync(loose, { recursive: true, force: true });
});

test('a file full of syntax errors neither kills the server nor hides the findings that can be made', async () => {
  const text = [
    "import { Mutex } from '@deadbolt/runtime';",
    'const m = new Mutex(;',
    'const counts = new Int32Array(new SharedArrayBuffer(8));',
    'export function bump() {',
    '  counts[0] += 1;',
    '}',
    'function (((  {',
  ].join('\n');
  const uri = await client.open(join(SRC, 'broken.ts'), text);
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 4]]);
  assert.equal(client.child.exitCode, null);

  // The rest of the workspace is still served.
  const counter = await client.open(join(SRC, 'counter.ts'));
  assert.equal((await client.diagnostics(counter)).length, 2);
  await client.close(uri);
  await client.close(counter);
});

test('typing a file character by character ends with the findings of the final text', async () => {
  const uri = await client.open(join(SRC, 'typing.ts'), '');
  await client.diagnostics(uri);
  const final = 'const counts = new Int32Array(new SharedArrayBuffer(8));\nexport function bump(): void {\n  counts[1] += 2;\n}\n';
  // Every prefix is half-typed code (unclosed calls, dangling operators); edits arrive faster than analyses finish.
  for (let end = 1; end <= final.length; end += 3) await client.change(uri, final.slice(0, end));
  await client.change(uri, final);
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 2]]);
  await client.close(uri);
});

test('a huge file is analysed without hanging the server, and its finding is reported', async () => {
  const filler = Array.from({ length: 5_000 }, (_, i) => `export function f${i}(x: number): number { return x * ${i} + 1; }`);
  const lines = ['const counts = new Int32Array(new SharedArrayBuffer(8));', ...filler, 'export function last(): void {', '  counts[0]++;', '}'];
  const uri = await client.open(join(SRC, 'huge.ts'), lines.join('\n'));
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 5_002]]);
  // Requests are still answered while and after the big file is analysed.
  const hover = await client.hover(uri, { line: 0, character: 3 });
  assert.equal(hover, null);
  await client.close(uri);
});

test('a file outside every workspace folder is analysed from its buffer, and cleared when closed', async () => {
  const path = join(loose, 'scratch.ts');
  const text = 'const flags = new Uint8Array(new SharedArrayBuffer(4));\nexport function mark(i: number): void {\n  flags[i] |= 1;\n}\n';
  writeFileSync(path, text);
  const uri = await client.open(path);
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 2]]);
  await client.close(uri);
  assert.deepEqual(await client.diagnostics(uri, (d) => d.length === 0), []);
});

test('an unsaved buffer is analysed; other schemes and non-script files are ignored without error', async () => {
  const untitled = 'untitled:Untitled-1';
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: {
      uri: untitled,
      languageId: 'typescript',
      version: 1,
      text: 'const counts = new Int32Array(new SharedArrayBuffer(8));\nexport function bump(): void {\n  counts[0]++;\n}\n',
    },
  });
  const diagnostics = await client.diagnostics(untitled, (_d, params) => params.version === 1);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 2]]);

  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: 'git:/work/a.ts?ref=HEAD', languageId: 'typescript', version: 1, text: 'counts[0]++' },
  });
  const readme = await client.open(join(WORKSPACE, 'README.md'));
  const graph = await client.lockGraph();
  assert.ok(Array.isArray(graph.nodes));
  assert.equal(client.child.exitCode, null);
  assert.ok(!client.publishes.some((p) => p.uri === readme || p.uri.startsWith('git:')));
  await client.close(readme);
});

test('a workspace whose tsconfig.json is invalid is still analysed, file by file, and the problem is logged', async () => {
  const folder = join(LSP_FIXTURES, 'broken-tsconfig');
  const broken = await LspClient.start({ folders: [folder] });
  try {
    const uri = await broken.open(join(folder, 'src', 'bump.ts'));
    const diagnostics = await broken.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 3]]);
    await broken.logged(/cannot use .*tsconfig\.json/);
  } finally {
    await broken.stop();
  }
});
