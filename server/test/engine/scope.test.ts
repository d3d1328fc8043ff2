/**
 * The default scope's rules one by one (files.ts): which names, folders, sizes and texts are out of it, which
 * `include` patterns open a skipped folder, and how a pnpm workspace file is read. The CLI's layouts test runs
 * them together on whole repositories.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { BUNDLE_BYTES, describeSkipped, Scope } from '../../src/engine/files.js';
import { FileGlobs } from '../../src/engine/file-globs.js';
import { pnpmPackages } from '../../src/engine/layout.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-scope-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const at = (relative: string): string => path.join(dir, relative);

test('reasonByPath: vendored folders and Plug\'n\'Play files, build output, minified names, bundles by size', () => {
  const scope = new Scope(dir, undefined);
  assert.equal(scope.reasonByPath(at('.yarn/releases/yarn-4.9.2.cjs'), 10), 'vendored');
  assert.equal(scope.reasonByPath(at('.yarn/sdks/typescript/lib/tsserver.js'), 10), 'vendored');
  assert.equal(scope.reasonByPath(at('.pnp.cjs'), 10), 'vendored');
  assert.equal(scope.reasonByPath(at('.pnp.loader.mjs'), 10), 'vendored');
  assert.equal(scope.reasonByPath(at('packages/app/dist/index.js'), 10), 'output');
  assert.equal(scope.reasonByPath(at('apps/web/.next/server/page.js'), 10), 'output');
  assert.equal(scope.reasonByPath(at('public/pdf.worker.min.js'), 10), 'minified');
  assert.equal(scope.reasonByPath(at('vendor/jquery-min.mjs'), 10), 'minified');
  assert.equal(scope.reasonByPath(at('src/big-table.ts'), BUNDLE_BYTES + 1), 'bundle');
  assert.equal(scope.reasonByPath(at('src/worker.ts'), BUNDLE_BYTES), undefined);
  // Folders above the scope's base are not the project's to judge: a checkout inside a folder named dist is fine.
  assert.equal(new Scope(at('dist/checkout'), undefined).reasonByPath(at('dist/checkout/src/a.ts'), 10), undefined);
  // min as a word inside a name is not minified.
  assert.equal(scope.reasonByPath(at('src/admin.js'), 10), undefined);
});

test('reasonByText: long lines on average mark minified code; a long data line among formatted code does not', () => {
  const scope = new Scope(dir, undefined);
  assert.equal(scope.reasonByText(at('a.js'), `${'var a=1;'.repeat(4000)}\n`), 'minified');
  assert.equal(scope.reasonByText(at('a.js'), 'var a=1;'.repeat(100)), undefined, 'too small to judge');
  const formatted = `export const wasm = "${'A'.repeat(20_000)}";\n${'export const x = 1;\n'.repeat(2_000)}`;
  assert.equal(scope.reasonByText(at('a.ts'), formatted), undefined);
});

test('reasonByText: a bundler\'s module loader at the top of a file of some size marks a bundle', () => {
  const scope = new Scope(dir, undefined);
  const body = 'function step(state) {\n  return state + 1;\n}\n'.repeat(1_000);
  // browserify's prelude, as broadcast-channel's committed docs/*.js begin.
  const browserify = '(function(){function r(e,n,t){function o(i,f){if(!n[i]){if(!e[i]){var c="function"==typeof require&&require;if(!f&&c)return c(i,!0)}}}}})()\n';
  assert.equal(scope.reasonByText(at('docs/index.js'), browserify + body), 'bundle');
  const webpack = '/*! banner */\n/******/ (() => { // webpackBootstrap\n/******/ \tvar __webpack_modules__ = ({});\n';
  assert.equal(scope.reasonByText(at('public/app.js'), webpack + body), 'bundle');
  assert.equal(scope.reasonByText(at('src/plain.js'), body), undefined, 'hand-written code');
  assert.equal(scope.reasonByText(at('src/loader.js'), `${body}// calls __webpack_require__ at runtime\n`), undefined, 'named far from the top: a mention, not a loader');
  assert.equal(scope.reasonByText(at('src/tiny.js'), browserify), undefined, 'too small to judge');
  assert.equal(new Scope(dir, ['docs']).reasonByText(at('docs/index.js'), browserify + body), undefined, 'include brings it back');
});

test('include brings files back and opens the skipped folders it names, but a wildcard alone opens none', () => {
  const scope = new Scope(dir, ['.yarn/releases', 'public/*.min.js', 'dist']);
  assert.equal(scope.reasonByPath(at('.yarn/releases/yarn.cjs'), 10), undefined);
  assert.equal(scope.reasonByPath(at('.yarn/plugins/plugin.cjs'), 10), 'vendored');
  assert.equal(scope.reasonByPath(at('public/pdf.worker.min.js'), 10), undefined);
  assert.equal(scope.reasonByPath(at('packages/a/dist/index.js'), 10), undefined, 'a name without a slash matches at any depth');
  const globs = new FileGlobs(['*.min.js', 'vendor/**/*.js'], dir);
  assert.equal(globs.mayMatchInside(at('node_modules')), false);
  assert.equal(globs.mayMatchInside(at('vendor')), true);
  assert.equal(globs.mayMatchInside(at('vendor/lib')), true, 'a wildcard after the literal part reaches any depth');
});

test('discover walks folders, counts what it skips, never enters node_modules, and keeps files named on the command line', () => {
  for (const file of ['src/a.ts', 'node_modules/pkg/index.js', '.yarn/releases/yarn.cjs', 'dist/a.js', 'public/x.min.js']) {
    mkdirSync(path.dirname(at(file)), { recursive: true });
    writeFileSync(at(file), 'export {};\n');
  }
  const scope = new Scope(dir, undefined);
  const { files, skipped } = scope.discover(dir, ['.']);
  assert.deepEqual(files, [at('src/a.ts')]);
  assert.deepEqual(skipped, { vendored: [at('.yarn/releases/yarn.cjs')], output: [at('dist/a.js')], minified: [at('public/x.min.js')] });
  assert.equal(describeSkipped(skipped), 'skipped 3 files out of scope: 1 vendored (.yarn/, .pnp.*), 1 build output (dist/, outDir, .next/...), 1 minified (*.min.js, long lines); "include" in deadbolt.config.json brings them back');
  assert.deepEqual(scope.discover(dir, ['public/x.min.js']).files, [at('public/x.min.js')]);
});

test('pnpmPackages: the packages list, quoted or not, with comments, ending at the next key', () => {
  const yaml = "packages:\n  - packages/*\n  - 'apps/**' # apps\n  - \"!**/test/**\"\n\ncatalog:\n  - not-a-package\n";
  assert.deepEqual(pnpmPackages(yaml), ['packages/*', 'apps/**', '!**/test/**']);
});
