/**
 * Projects as users lay them out, run through the real bin: the default scope (vendored, output, minified and
 * bundled files skipped, with one line saying so, and `include` bringing them back), jsconfig.json, workspaces
 * whose root tsconfig covers little, broken references and bases as warnings, syntax errors as notices.
 * Each layout is written to a temporary folder, modelled on how public repositories are laid out.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deadbolt } from './spawn.js';

interface JsonOutput {
  diagnostics: { file: string; line: number; rule: string }[];
  summary: { files: number };
  notices: { kind: string; level: string; message: string; file?: string }[];
}

const root = mkdtempSync(path.join(tmpdir(), 'deadbolt-layouts-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes `files` (path -> text) below a new folder named `name` and returns the folder. */
function layout(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function check(dir: string, args: string[] = []): { status: number | null; report: JsonOutput | undefined; stderr: string } {
  const run = deadbolt(['check', '--format', 'json', ...args], dir);
  return { status: run.status, report: run.stdout === '' ? undefined : (JSON.parse(run.stdout) as JsonOutput), stderr: run.stderr };
}

const files = (report: JsonOutput | undefined): string[] => [...new Set((report?.diagnostics ?? []).map((d) => d.file))].sort();

/** A module with one unguarded read-modify-write of shared memory: non-atomic-update reports line 4. */
const RACY = 'const view = new Int32Array(new SharedArrayBuffer(4));\nexport function bump(): void {\n  // racy\n  view[0] += 1;\n}\n';
const RACY_JS = RACY.replace('(): void', '()');
/** Filler that the prefilter drops: ordinary modules, as most of a repository is. */
const PLAIN = 'export const answer = 42;\n';

test('vendored, output, minified and bundled files are skipped with one line saying why; --verbose lists them', () => {
  const dir = layout('yarn-berry', {
    'package.json': '{ "name": "app", "packageManager": "yarn@4.9.2" }',
    // Yarn Berry commits its release: a multi-megabyte bundle whose shared memory is none of the project's business.
    '.yarn/releases/yarn-4.9.2.cjs': RACY_JS,
    '.pnp.cjs': RACY_JS,
    'src/counter.ts': RACY,
    'public/pdf.worker.min.js': RACY_JS,
    // Minified without saying so in its name: a few very long lines.
    'vendor/bundle.js': `${RACY_JS}${`var a=new Int32Array(new SharedArrayBuffer(8));a[0]+=1;`.repeat(400)}\n`,
    // Over 1 MiB of ordinary lines: a generated table or an unminified bundle.
    'src/generated-table.ts': `${RACY}${'export const row = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];\n'.repeat(21_000)}`,
    'dist/counter.js': RACY_JS,
    // A demo page's browserify bundle, committed: short lines, but it starts with browserify's module loader.
    'docs/demo.js': `(function(){function r(e,n,t){function o(i,f){if(!n[i]){if(!e[i]){var c="function"==typeof require&&require;}}}}})()\n${RACY_JS}${'function step(state) {\n  return state + 1;\n}\n'.repeat(500)}`,
  });
  const { status, report, stderr } = check(dir, ['.']);
  assert.equal(status, 1);
  assert.deepEqual(files(report), ['src/counter.ts']);
  assert.match(stderr, /^deadbolt: skipped 7 files out of scope: 2 vendored \(\.yarn\/, \.pnp\.\*\), 1 build output \(dist\/, outDir, \.next\/\.\.\.\), 2 minified \(\*\.min\.js, long lines\), 2 bundles \(over 1 MiB, or a bundler's module loader\); "include" in deadbolt\.config\.json brings them back$/m);
  assert.doesNotMatch(stderr, /\.pnp\.cjs/);
  // The JSON report carries the same line, and the per-file details only with --verbose.
  const scopeLine = stderr.split('\n').find((line) => line.includes('out of scope'))!.replace(/^deadbolt: /, '');
  assert.deepEqual(report?.notices, [{ kind: 'scope', level: 'notice', message: scopeLine }]);
  const verboseRun = check(dir, ['.', '--verbose']);
  assert.ok(verboseRun.report?.notices.some((n) => n.file === 'docs/demo.js' && n.message === 'skipped'), JSON.stringify(verboseRun.report?.notices));
  const verbose = verboseRun.stderr;
  for (const file of ['.pnp.cjs', '.yarn/releases/yarn-4.9.2.cjs', 'dist/counter.js', 'docs/demo.js', 'public/pdf.worker.min.js', 'src/generated-table.ts', 'vendor/bundle.js']) {
    assert.match(verbose, new RegExp(`^deadbolt: ${file.replace(/[.*]/g, '\\$&')}: skipped$`, 'm'));
  }
});

test('include in deadbolt.config.json brings skipped files back, opening the folders it names', () => {
  const dir = layout('include', {
    '.yarn/releases/yarn-4.9.2.cjs': RACY_JS,
    'src/counter.ts': RACY,
    'public/pdf.worker.min.js': RACY_JS,
    'deadbolt.config.json': '{ "include": [".yarn/releases", "*.min.js"] }',
  });
  const { status, report, stderr } = check(dir, ['.']);
  assert.equal(status, 1);
  assert.deepEqual(files(report), ['.yarn/releases/yarn-4.9.2.cjs', 'public/pdf.worker.min.js', 'src/counter.ts']);
  assert.doesNotMatch(stderr, /skipped/);
});

test('a tsconfig\'s outDir is build output when walking a folder', () => {
  const dir = layout('out-dir', {
    'tsconfig.json': '{\n  // comments and trailing commas, as tsc allows\n  "compilerOptions": { "outDir": "lib", },\n}\n',
    'src/counter.ts': RACY,
    'lib/counter.js': RACY_JS,
  });
  const { report, stderr } = check(dir, ['.']);
  assert.deepEqual(files(report), ['src/counter.ts']);
  assert.match(stderr, /skipped 1 file out of scope: 1 build output/);
});

test('jsconfig.json is read like tsconfig.json when there is no tsconfig: its exclude holds', () => {
  const dir = layout('jsconfig', {
    'jsconfig.json': '{ "exclude": ["legacy"], "compilerOptions": { "checkJs": true, "module": "ESNext" } }',
    'src/counter.js': RACY_JS,
    'legacy/old.js': RACY_JS,
  });
  const { status, report } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(files(report), ['src/counter.js']);
  assert.equal(report!.summary.files, 1);
});

/** A monorepo root as Renovate's and atproto's are laid out: a root tsconfig for tooling, packages with their own. */
function monorepo(name: string, manifest: Record<string, string>): string {
  const filler = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`packages/util/src/m${i}.ts`, PLAIN]));
  return layout(name, {
    ...manifest,
    'tsconfig.json': '{ "compilerOptions": { "allowJs": true, "noEmit": true }, "include": ["eslint.config.js"] }',
    'eslint.config.js': 'export default [];\n',
    'packages/core/package.json': '{ "name": "core" }',
    'packages/core/tsconfig.json': '{ "compilerOptions": { "strict": true }, "include": ["src"] }',
    'packages/core/src/counter.ts': RACY,
    'packages/core/scripts/unincluded.ts': RACY,
    'packages/web/package.json': '{ "name": "web" }',
    // A Nuxt app's tsconfig extends a file `nuxt prepare` generates: missing in a fresh clone.
    'packages/web/tsconfig.json': '{ "extends": "./.nuxt/tsconfig.json" }',
    'packages/web/worker.ts': RACY,
    'packages/util/package.json': '{ "name": "util" }',
    ...filler,
  });
}

test('a workspace whose root tsconfig covers little is analysed package by package, each with its own config', () => {
  const dir = monorepo('npm-workspaces', { 'package.json': '{ "private": true, "workspaces": ["packages/*"] }' });
  const { status, report, stderr } = check(dir);
  assert.equal(status, 1);
  // core by its tsconfig (scripts/ is not in its include), web by its own options despite the missing base, util by its files.
  assert.deepEqual(files(report), ['packages/core/src/counter.ts', 'packages/web/worker.ts']);
  assert.match(stderr, /^deadbolt: tsconfig\.json covers 1 of the 16 source files in its folder; analysing its 3 workspace packages, each with its own tsconfig or jsconfig \(--project tsconfig\.json analyses only its files\)$/m);
  assert.match(stderr, /^deadbolt: warning: packages\/web\/tsconfig\.json:1:3: Cannot read file '.*\.nuxt\/tsconfig\.json'/m);
});

test('pnpm workspaces are read from pnpm-workspace.yaml', () => {
  const dir = monorepo('pnpm-workspaces', {
    'package.json': '{ "private": true }',
    'pnpm-workspace.yaml': "packages:\n  - 'packages/*' # every package\n  - '!packages/util'\ncatalog:\n  react: ^19\n",
  });
  const { report, stderr } = check(dir);
  assert.deepEqual(files(report), ['packages/core/src/counter.ts', 'packages/web/worker.ts']);
  assert.match(stderr, /analysing its 2 workspace packages/);
});

test('--project names the root tsconfig on purpose: no expansion, one line on how to widen it', () => {
  const dir = monorepo('explicit-project', { 'package.json': '{ "private": true, "workspaces": ["packages/*"] }' });
  const { status, stderr } = check(dir, ['--project', 'tsconfig.json']);
  assert.equal(status, 0);
  assert.match(stderr, /^deadbolt: tsconfig\.json covers 1 of the 16 source files in its folder; `deadbolt check \.` analyses them all \(or widen its "include" or "references"\)$/m);
});

test('a broken reference of a solution is a warning naming it, and the other references are analysed', () => {
  const dir = layout('broken-reference', {
    'tsconfig.json': '{\n  "files": [],\n  "references": [{ "path": "good" }, { "path": "gone" }, { "path": "broken" }]\n}\n',
    'good/tsconfig.json': '{ "include": ["."] }',
    'good/counter.ts': RACY,
    'broken/tsconfig.json': '{ "include": ["."], }}',
    'broken/counter.ts': RACY,
  });
  const { status, report, stderr } = check(dir);
  assert.equal(status, 1);
  assert.deepEqual(files(report), ['good/counter.ts']);
  assert.match(stderr, /^deadbolt: warning: tsconfig\.json:3:48: the referenced project .*gone\/tsconfig\.json does not exist; the other references are analysed$/m);
  assert.match(stderr, /^deadbolt: warning: broken\/tsconfig\.json:1:\d+: .*; this referenced project is skipped and the others are analysed$/m);
});

test('exit 2 only when nothing can be analysed: every reference broken', () => {
  const dir = layout('all-references-broken', {
    'tsconfig.json': '{ "files": [], "references": [{ "path": "gone" }] }',
    'src/counter.ts': RACY,
  });
  const { status, stderr } = check(dir);
  assert.equal(status, 2);
  assert.match(stderr, /^deadbolt: warning: tsconfig\.json:1:\d+: the referenced project .*gone\/tsconfig\.json does not exist/m);
  assert.match(stderr, /^deadbolt: no files to analyse: tsconfig\.json names no /m);
});

test('a file with a syntax error is a notice at its first error, and is analysed as far as it parses', () => {
  const dir = layout('syntax-error', {
    'src/counter.ts': RACY,
    'src/half-written.ts': 'import { Worker } from "node:worker_threads";\nexport function start( {\n  return new Worker("./w.js");\n}\n',
  });
  const { status, report, stderr } = check(dir, ['.']);
  assert.equal(status, 1);
  assert.deepEqual(files(report), ['src/counter.ts']);
  assert.match(stderr, /^deadbolt: src\/half-written\.ts:3:10: syntax error: .*; analysed as far as it parses$/m);
});
