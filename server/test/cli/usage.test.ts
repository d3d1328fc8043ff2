/** `deadbolt` command-line handling that stops before analysis: help, version, bad usage and bad configuration (exit 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WITHIN_MS } from '../helpers/deadline.js';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

const cwd = path.join(CLI_FIXTURES, 'clean');

test('--help prints the usage on stdout and exits 0', () => {
  const run = deadbolt(['--help'], cwd);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^Usage:\n  deadbolt check \[paths\.\.\.\]/);
  assert.match(run.stdout, /--format text\|json\|sarif/);
  assert.equal(run.stderr, '');
});

test('check --help is help too', () => {
  assert.equal(deadbolt(['check', '--help'], cwd).status, 0);
});

test('--version prints the package version', () => {
  const run = deadbolt(['--version'], cwd);
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(run.status, 0);
  assert.equal(run.stdout.trim(), manifest.version);
});

test('--help, --version and a usage error answer without loading TypeScript', () => {
  // A fresh process, so nothing else has loaded the compiler: the CommonJS cache then lists what these commands loaded.
  const script = `
    import { createRequire } from 'node:module';
    const { run } = await import(${JSON.stringify(new URL('../../src/cli/run.js', import.meta.url).href)});
    const io = { cwd: process.cwd(), env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
    const statuses = [];
    for (const argv of [['--help'], ['--version'], ['check', '--frobnicate']]) statuses.push(await run(argv, io));
    const compiler = Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules[\\/](ts-morph|@ts-morph|typescript)[\\/]/.test(f));
    console.log(JSON.stringify({ statuses, compiler }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', timeout: WITHIN_MS });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { statuses: [0, 0, 2], compiler: [] });
});

const usageErrors: [string, string[], RegExp][] = [
  ['an unknown flag', ['check', '--frobnicate'], /Unknown option '--frobnicate'/],
  ['an unknown command', ['lint'], /unknown command 'lint'/],
  ['a missing path', ['check', 'no/such/dir'], /no such file or folder: no\/such\/dir/],
  ['a bad check format', ['check', '--format', 'xml'], /unknown format 'xml' for check \(expected text, json, sarif\)/],
  ['a bad graph format', ['graph', '--format', 'sarif'], /unknown format 'sarif' for graph \(expected dot, json, mermaid\)/],
  ['a missing tsconfig', ['check', '--project', 'nope.json'], /no such tsconfig: nope\.json/],
  ['--fix on graph', ['graph', '--fix'], /'--fix' only applies to check/],
  ['a flag without its value', ['check', '--format'], /--format/],
];

for (const [name, args, message] of usageErrors) {
  test(`${name} is exit 2 with a message and the usage on stderr`, () => {
    const run = deadbolt(args, cwd);
    assert.equal(run.status, 2);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /Usage:/);
    assert.equal(run.stdout, '');
  });
}

test('an invalid deadbolt.config.json is exit 2 naming the file and the key', () => {
  const run = deadbolt(['check'], path.join(CLI_FIXTURES, 'bad-config'));
  assert.equal(run.status, 2);
  assert.match(run.stderr, /invalid configuration: .*bad-config\/deadbolt\.config\.json: "rules\.blocking-in-async": expected one of "error", "warning", "info", "hint", "off", got "loud"/);
  assert.equal(run.stdout, '');
});

test('--config naming a missing file is exit 2', () => {
  const run = deadbolt(['check', '--config', 'missing.json'], cwd);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /missing\.json: cannot read the configuration file/);
});
