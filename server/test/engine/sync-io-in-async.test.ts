/**
 * Fixture tests for the `sync-io-in-async` rule (test-fixtures/sync-io-in-async): Node's `*Sync` calls in
 * coroutines, split from `blocking-in-async`, at warning by default; its advice names only twins that exist;
 * CommonJS `require` is recognised even where @types/node cannot be found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';
import { analyze, applyEdits } from '../../src/engine/index.js';
import { nodeTypesRoot } from '../../src/engine/project.js';

checkFixtureFolder('sync-io-in-async', { rules: ['sync-io-in-async', 'blocking-in-async'] });

function findingWith(file: string, fragment: string) {
  const found = findingsIn('sync-io-in-async', file, 'sync-io-in-async').find((f) => f.message.includes(fragment));
  assert.ok(found, `no sync-io-in-async finding mentioning ${fragment} in ${file}`);
  return found;
}

test('sync I/O is a warning by default, thread-blocking waits stay errors', () => {
  const all = findingsIn('sync-io-in-async', 'config-loader.ts');
  assert.deepEqual([...new Set(all.filter((f) => f.rule === 'sync-io-in-async').map((f) => f.severity))], ['warning']);
  assert.deepEqual([...new Set(all.filter((f) => f.rule === 'blocking-in-async').map((f) => f.severity))], ['error']);
});

test('existsSync advice names access(), not a fs/promises exists that does not exist, and the fix settles access() to a boolean', () => {
  const finding = findingWith('config-loader.ts', 'existsSync');
  assert.match(finding.message, /fs\/promises has no `exists`/);
  assert.match(finding.message, /`await access\(path\)`/);
  assert.doesNotMatch(finding.message, /Use the fs\/promises twin/);
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  assert.equal(fix.safety, 'safe');
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits);
  const line = fixed.split('\n')[finding.span.line - 1] ?? '';
  // `!` binds to the awaited boolean, as it bound to existsSync's.
  assert.ok(line.includes('if (!await fs.promises.access(file).then(() => true, () => false)) return {};'), line);
});

test('readFileSync advice names its real twin and the fix uses it', () => {
  const finding = findingWith('config-loader.ts', 'fs.readFileSync');
  assert.match(finding.message, /Use `await readFile\(\)` from fs\/promises\./);
  // Edits are minimal (only the characters that change): the fixed line is what carries the whole call.
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits);
  assert.equal(fixed.split('\n')[finding.span.line - 1]?.includes('await fs.promises.readFile(file, \'utf8\')'), true, fixed.split('\n')[finding.span.line - 1]);
});

test('no twin fix where the await would open a window between a check of shared state and its write', () => {
  const source = readFileSync(path.join(FIXTURES_ROOT, 'sync-io-in-async', 'config-loader.ts'), 'utf8').split('\n');
  const line = source.findIndex((text) => text.includes('cached = JSON.parse(fs.readFileSync')) + 1;
  const finding = findingsIn('sync-io-in-async', 'config-loader.ts', 'sync-io-in-async').find((f) => f.span.line === line);
  assert.ok(finding, 'the sync read in cachedConfig() is reported');
  assert.deepEqual(finding.fixes.map((fix) => fix.title).filter((title) => !title.startsWith('Suppress')), []);
});

test('a helper that reads and then waits is reported by both rules, each with its own chain', () => {
  const both = findingsIn('sync-io-in-async', 'helpers.ts').filter((f) => f.message.includes('readThenWait'));
  const byRule = Object.fromEntries(both.map((f) => [f.rule, f.message]));
  assert.match(byRule['sync-io-in-async'] ?? '', /`readThenWait\(\)` → `readFileSync\(\)` \(fs\)/);
  assert.match(byRule['blocking-in-async'] ?? '', /`readThenWait\(\)` → `Atomics\.wait\(\)`/);
});

test('require() of fs and child_process is recognised in CommonJS without @types/node', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-cjs-'));
  try {
    // The temp folder has no node_modules above it, so nothing declares Node's modules there.
    assert.equal(nodeTypesRoot(dir), undefined, 'this test needs a folder with no @types/node above it');
    copyFileSync(path.join(FIXTURES_ROOT, 'sync-io-in-async', 'require-style.cjs'), path.join(dir, 'build.cjs'));
    const result = analyze({ cwd: dir, paths: ['.'] });
    const lines = result.findings.filter((f) => f.rule === 'sync-io-in-async').map((f) => `${f.span.line} ${f.message.split(' ')[0]}`);
    assert.deepEqual(lines, ['8 `fs.readFileSync()`', "9 `execFileSync()`", "10 `require('fs').writeFileSync()`"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a forEach over readdirSync becomes a loop over the awaited twin, also in a script without @types/node', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-walk-'));
  try {
    assert.equal(nodeTypesRoot(dir), undefined, 'this test needs a folder with no @types/node above it');
    const file = path.join(dir, 'walk.cjs');
    copyFileSync(path.join(FIXTURES_ROOT, 'sync-io-in-async', 'walk-script.cjs'), file);
    const finding = analyze({ cwd: dir, paths: ['.'] }).findings.find((f) => f.rule === 'sync-io-in-async' && f.message.includes('`collectSources()`'));
    assert.ok(finding, 'the walk is reported');
    const [fix] = finding.fixes;
    assert.ok(fix, 'a chain fix is offered');
    const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits).split('\n');
    for (const line of ['async function collectSources(dir, found) {', '    for (const name of (await fs.promises.readdir(dir))) {', '      await collectSources(path.join(dir, name), found);']) {
      assert.ok(fixed.includes(line), `missing ${JSON.stringify(line)} in:\n${fixed.join('\n')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sync I/O through module helpers: the fix makes the helpers async, their blocking calls take their twins, and every call awaits', () => {
  const finding = findingWith('async-chain.ts', '`resetDatabase()`');
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  assert.equal(fix.safety, 'safe');
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits);
  // The helper that calls resetDatabase from sync code is made async with it, and the end-of-line comment stays.
  for (const line of [
    'async function resetDatabase(fileName: string): Promise<void> {',
    '  if (await fs.promises.access(fileName).then(() => true, () => false)) {',
    '    await fs.promises.unlink(fileName); // the next run starts empty',
    'async function prepare(dir: string): Promise<number> {',
    '  await resetDatabase(`${dir}/bench.db`);',
    '  return (await fs.promises.stat(dir)).mtimeMs;',
    '  await resetDatabase(`${dir}/memory.db`); // expect: sync-io-in-async',
    '  const started = await prepare(dir); // expect: sync-io-in-async',
  ]) {
    assert.ok(fixed.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${fixed}`);
  }
});

test("a class's private helper is made async with its calls; an exported helper's fix is unsafe; one passed as a value keeps its finding without a fix", () => {
  const snapshot = findingWith('async-chain.ts', '`this.#snapshot()`');
  const [fix] = snapshot.fixes;
  assert.ok(fix, 'a fix is offered for the private method');
  const fixed = applyEdits(readFileSync(snapshot.span.file, 'utf8'), fix.edits);
  assert.ok(fixed.includes('  async #snapshot(): Promise<string> {\n    return await fs.promises.readFile(this.#path, \'utf8\');'), fixed);
  assert.ok(fixed.includes('const text = await this.#snapshot();'), fixed);
  const [exported] = findingWith('async-chain.ts', '`readManifest()`').fixes;
  assert.ok(exported, 'a fix is offered for the exported helper');
  assert.deepEqual([exported.safety, exported.preferred], ['unsafe', false]);
  assert.match(exported.title, /`readManifest` is exported: callers outside this program must await it too/);
  assert.deepEqual(findingWith('async-chain.ts', '`sizeOf()`').fixes, []);
});

test('an exported helper of another module is made async where it is declared and awaited where it is imported, ES or CommonJS', () => {
  const fixedFiles = (fragment: string, file: string) => {
    const finding = findingWith(file, fragment);
    const [fix] = finding.fixes;
    assert.ok(fix, `a fix is offered for ${fragment}`);
    assert.equal(fix.safety, 'unsafe');
    const byFile = new Map<string, string>();
    for (const changed of new Set(fix.edits.map((e) => e.file))) {
      byFile.set(path.basename(changed), applyEdits(readFileSync(changed, 'utf8'), fix.edits.filter((e) => e.file === changed)));
    }
    return byFile;
  };
  const es = fixedFiles('`readVersion()`', 'build-scripts/release.ts');
  assert.deepEqual([...es.keys()].sort(), ['release.ts', 'versions.ts']);
  assert.ok(es.get('versions.ts')!.includes('export async function readVersion(dir: string): Promise<string> {'), es.get('versions.ts'));
  assert.ok(es.get('release.ts')!.includes('  const version = await readVersion(dir); // expect: sync-io-in-async'), es.get('release.ts'));
  const cjs = fixedFiles('`newer()`', 'build-scripts/docs.cjs');
  assert.deepEqual([...cjs.keys()].sort(), ['docs.cjs', 'timestamps.cjs']);
  assert.ok(cjs.get('timestamps.cjs')!.includes('async function newer(input, output) {'), cjs.get('timestamps.cjs'));
  assert.ok(cjs.get('docs.cjs')!.includes('  if (!await newer(input, output)) return false;'), cjs.get('docs.cjs'));
  // Required under another name, or handed on as a value: not every call can be found, so no fix.
  assert.deepEqual(findingWith('build-scripts/docs.cjs', '`sizeOf()`').fixes, []);
  assert.deepEqual(findingWith('build-scripts/release.ts', '`releaseNotes()`').fixes, []);
});

test('no chain fix where awaiting the helper would open a window between a check of shared state and its write', () => {
  const finding = findingWith('async-chain.ts', '`readCachedManifest()`');
  assert.deepEqual(finding.fixes.map((fix) => fix.title).filter((title) => !title.startsWith('Suppress')), []);
});

test("zlib's sync calls take their promisified callback twin: the specifier renamed on its last use, the namespace's own function otherwise", () => {
  const gzip = findingWith('compression.ts', '`gzipSync()`');
  assert.match(gzip.message, /zlib has no promise API: use `await promisify\(gzip\)\(\.\.\.\)`/);
  const [fix] = gzip.fixes;
  assert.ok(fix, 'a fix is offered');
  assert.equal(fix.safety, 'safe');
  const fixed = applyEdits(readFileSync(gzip.span.file, 'utf8'), fix.edits).split('\n');
  for (const line of [
    "import { brotliCompressSync, deflateSync, gzip } from 'node:zlib';",
    "import { promisify } from 'node:util';",
    '      sitemap: await promisify(gzip)(Buffer.from(SITEMAP_INDEX)), // expect: sync-io-in-async',
  ]) {
    assert.ok(fixed.includes(line), `missing ${JSON.stringify(line)} in:\n${fixed.join('\n')}`);
  }
  const unzip = findingWith('compression.ts', '`zlib.unzipSync()`');
  const unzipped = applyEdits(readFileSync(unzip.span.file, 'utf8'), unzip.fixes[0]?.edits ?? []);
  assert.ok(unzipped.includes('const buffer = await promisify(zlib.unzip)(await download());'), unzipped);
});

test('a recursive helper awaits itself in its own body; one that recurses through a callback keeps its finding without a fix', () => {
  const finding = findingWith('async-chain.ts', '`removeTree()`');
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits).split('\n');
  for (const line of ['async function removeTree(location: string): Promise<void> {', '      await removeTree(`${location}/${entry}`);', '  await removeTree(dir); // expect: sync-io-in-async']) {
    assert.ok(fixed.includes(line), `missing ${JSON.stringify(line)} in:\n${fixed.join('\n')}`);
  }
  assert.deepEqual(findingWith('async-chain.ts', '`listTree()`').fixes, []);
});

test('a forEach over a fresh array becomes a for...of loop where the fix awaits; over a caller\'s array, or with an early return, no fix', () => {
  const hook = findingWith('workspace-hook.ts', '`scanDeps()`');
  const [fix] = hook.fixes;
  assert.ok(fix, 'a chain fix is offered');
  assert.match(fix.title, /turning forEach into for\.\.\.of/);
  const fixed = applyEdits(readFileSync(hook.span.file, 'utf8'), fix.edits).split('\n');
  for (const line of ['      for (const dep of Object.keys(deps)) {', "          await injectPeers(path.resolve(workspace[dep]!, 'package.json'));", '      }']) {
    assert.ok(fixed.includes(line), `missing ${JSON.stringify(line)} in:\n${fixed.join('\n')}`);
  }
  const direct = findingWith('workspace-hook.ts', '`fs.writeFileSync()`');
  const written = applyEdits(readFileSync(direct.span.file, 'utf8'), direct.fixes[0]?.edits ?? []).split('\n');
  assert.ok(written.includes('  for (const [name, content] of Object.entries(files)) {'), written.join('\n'));
  assert.deepEqual(findingWith('workspace-hook.ts', '`fs.utimesSync()`').fixes, []);
  assert.deepEqual(findingWith('workspace-hook.ts', '`fs.unlinkSync()`').fixes, []);
});

test('in a CommonJS script, a fix requires what it needs instead of adding an import, and renames or drops the name it no longer uses', () => {
  const file = path.join(FIXTURES_ROOT, 'sync-io-in-async', 'install-script.cjs');
  const text = readFileSync(file, 'utf8');
  const gunzip = findingWith('install-script.cjs', '`gunzipSync()`');
  const fixed = applyEdits(text, gunzip.fixes[0]?.edits ?? []);
  assert.doesNotMatch(fixed, /^import /m);
  // gunzipSync's last use: its name in the destructuring becomes the twin's, as in an import.
  assert.doesNotMatch(fixed, /gunzipSync/);
  for (const line of ["const { gunzip } = require('zlib');", "const { promisify } = require('node:util');", '  const tarball = await promisify(gunzip)(await download()); // expect: sync-io-in-async']) {
    assert.ok(fixed.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${fixed}`);
  }
  // `'use strict'` stays the first statement, so it still applies.
  assert.ok(fixed.startsWith("'use strict';\n"), fixed);
  const write = findingWith('install-script.cjs', '`writeFileSync()`');
  const written = applyEdits(text, write.fixes[0]?.edits ?? []);
  assert.ok(written.includes("\nconst { writeFile } = require('node:fs/promises');\n"), written);
  // writeFileSync's last use: the name leaves the destructuring, readFileSync stays.
  assert.ok(written.includes("\nconst { readFileSync } = require('fs');\n"), written);
});
