/**
 * Diagnostics over the real protocol: published on open and after edits, shaped per DESIGN.md (source, rule code,
 * doc link, severity), for TypeScript and JavaScript, and following the "deadbolt" settings as they change.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LSP_FIXTURES, LspClient } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'workspace');
const SRC = join(WORKSPACE, 'src');

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [WORKSPACE] });
});
after(async () => {
  await client.stop();
});

test('an opened file gets its findings with rule code, source, range, severity and a link to the rule page', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line]),
    [
      ['non-atomic-update', 4, 2, 4],
      ['non-atomic-update', 8, 2, 8],
    ],
  );
  for (const diagnostic of diagnostics) {
    assert.equal(diagnostic.source, 'deadbolt');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.match(diagnostic.codeDescription?.href ?? '', /\/docs\/rules\/non-atomic-update\.md$/);
    assert.equal(typeof diagnostic.message, 'string');
    assert.ok((diagnostic.message as string).length > 0);
  }
});

test('an edit that fixes the code clears the diagnostics for the new version', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  await client.diagnostics(uri, (d) => d.length === 2);
  const fixed = client.text(uri).replace('counts[slot] += 1;', 'Atomics.add(counts, slot, 1);').replace('counts[3]++;', 'Atomics.add(counts, 3, 1);');
  await client.change(uri, fixed);
  assert.deepEqual(await client.diagnostics(uri), []);
  // And breaking it again brings one back, on the line of the new mistake.
  const version = await client.change(uri, fixed.replace('Atomics.add(counts, 3, 1);', 'counts[3] -= 2;'));
  const again = await client.diagnostics(uri, (_d, params) => params.version === version);
  assert.deepEqual(again.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 8]]);
});

test('a JavaScript file is analysed too', async () => {
  const uri = await client.open(join(SRC, 'stats.js'));
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['non-atomic-update', 4]]);
});

test('a correct file gets an empty publish for its version', async () => {
  const uri = await client.open(join(SRC, 'clean.ts'));
  assert.deepEqual(await client.diagnostics(uri), []);
});

test('rule severities and enable follow the deadbolt settings, re-read when configuration changes', async () => {
  const other = await LspClient.start({ folders: [WORKSPACE], settings: { rules: { 'non-atomic-update': 'warning' } } });
  try {
    const uri = await other.open(join(SRC, 'counter.ts'));
    const warnings = await other.diagnostics(uri, (d) => d.length === 2);
    assert.deepEqual(warnings.map((d) => d.severity), [DiagnosticSeverity.Warning, DiagnosticSeverity.Warning]);

    await other.changeSettings({ rules: { 'non-atomic-update': 'info' } });
    const infos = await other.diagnostics(uri, (d) => d.length === 2 && d.every((x) => x.severity === DiagnosticSeverity.Information));
    assert.equal(infos.length, 2);

    await other.changeSettings({ rules: { 'non-atomic-update': 'off' } });
    assert.deepEqual(await other.diagnostics(uri, (d) => d.length === 0), []);

    await other.changeSettings({ enable: true });
    await other.diagnostics(uri, (d) => d.length === 2 && d.every((x) => x.severity === DiagnosticSeverity.Error));

    await other.changeSettings({ enable: false });
    assert.deepEqual(await other.diagnostics(uri, (d) => d.length === 0), []);
  } finally {
    await other.stop();
  }
});

test('opening and closing files unchanged from disk answers from known findings without another analysis', async () => {
  const fresh = await LspClient.start({ folders: [WORKSPACE] });
  try {
    const analyses = () => fresh.logs.filter((message) => message.startsWith('analysed ')).length;
    const counter = await fresh.open(join(SRC, 'counter.ts'));
    assert.equal((await fresh.diagnostics(counter)).length, 2);
    const before = analyses();
    assert.ok(before >= 1);
    // The first, long analysis of the folder was shown as progress in the editor.
    await fresh.progressed('end');
    assert.deepEqual(fresh.progress.map((p) => p.kind), ['begin', 'end']);
    assert.equal(fresh.progress[0]!.title, 'Deadbolt');

    const stats = await fresh.open(join(SRC, 'stats.js'));
    assert.deepEqual((await fresh.diagnostics(stats)).map((d) => d.code), ['non-atomic-update']);
    await fresh.close(stats);
    const clean = await fresh.open(join(SRC, 'clean.ts'));
    assert.deepEqual(await fresh.diagnostics(clean), []);
    assert.equal(analyses(), before);

    // An actual edit does analyse again.
    await fresh.change(clean, `${fresh.text(clean)}\n// edited\n`);
    await fresh.diagnostics(clean);
    assert.equal(analyses(), before + 1);
  } finally {
    await fresh.stop();
  }
});

test('an edit re-walks only what it can affect: the log names how many walks ran and how many were reused', async () => {
  const session = await LspClient.start({ folders: [WORKSPACE] });
  try {
    const walkLines = () => session.logs.filter((message) => message.startsWith('analysed ')).map((message) => /(\d+) of (\d+) walks run/.exec(message));
    const counter = await session.open(join(SRC, 'counter.ts'));
    assert.equal((await session.diagnostics(counter)).length, 2);
    const [, firstRun, firstTotal] = walkLines().at(-1)!;
    assert.equal(firstRun, firstTotal, 'the first analysis walks everything');

    await session.change(counter, `${session.text(counter)}\n// edited\n`);
    assert.equal((await session.diagnostics(counter)).length, 2);
    const [, run, total] = walkLines().at(-1)!.map(Number);
    assert.ok(run! > 0 && run! < total!, `after editing counter.ts: ${run} of ${total} walks ran`);
    assert.equal(total, Number(firstTotal));
  } finally {
    await session.stop();
  }
});
