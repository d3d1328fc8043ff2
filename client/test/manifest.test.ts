// Checks the extension manifest against the code and the public contract: every contributed command is
// registered, settings and debug attributes are described, and the package stays free of node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sources = ['extension.ts', join('debug', 'lockTracing.ts')].map((file) => readFileSync(join(root, 'src', file), 'utf8'));

test('the public commands are contributed under the Deadbolt category and registered in code', () => {
  const commands = manifest.contributes.commands as { command: string; title: string; category: string }[];
  assert.deepEqual(commands.map((c) => `${c.category}: ${c.title}`).sort(), [
    'Deadbolt: Debug with Lock Tracing', 'Deadbolt: Fix All', 'Deadbolt: Restart Server', 'Deadbolt: Show Lock Graph',
  ]);
  for (const { command } of commands) {
    assert.ok(sources.some((source) => source.includes(`registerCommand('${command}'`)), `${command} is registered`);
  }
});

test('every setting has a description, and each rule id of the contract has a severity entry', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string; properties?: object }>;
  assert.deepEqual(Object.keys(properties).sort(), ['deadbolt.blockingFunctions', 'deadbolt.enable', 'deadbolt.rules', 'deadbolt.trace.server']);
  for (const [key, schema] of Object.entries(properties)) assert.ok(schema.description ?? schema.markdownDescription, key);
  assert.deepEqual(Object.keys(properties['deadbolt.rules']!.properties!).sort(), [
    'await-holding-lock', 'blocking-in-async', 'double-lock', 'lock-leak', 'lock-order', 'non-atomic-update', 'sync-io-in-async', 'unguarded-write',
  ]);
});

test('the deadbolt debugger documents every launch attribute, with stopOnDeadlock on by default', () => {
  const [debuggerEntry] = manifest.contributes.debuggers;
  assert.equal(debuggerEntry.type, 'deadbolt');
  const attributes = debuggerEntry.configurationAttributes.launch.properties as Record<string, { description: string; default?: unknown }>;
  assert.deepEqual(Object.keys(attributes).sort(), ['args', 'cwd', 'env', 'program', 'runtimeArgs', 'stopOnDeadlock', 'stopOnLongWait', 'stopOnPotentialDeadlock']);
  for (const [key, schema] of Object.entries(attributes)) assert.ok(schema.description, key);
  assert.equal(attributes.stopOnDeadlock!.default, true);
  assert.equal(attributes.stopOnPotentialDeadlock!.default, false);
  assert.ok(debuggerEntry.initialConfigurations.length > 0 && debuggerEntry.configurationSnippets.length > 0);
});

test('a plain F5 is left to Node.js: the deadbolt debugger claims no language and offers no dynamic configurations', () => {
  const [debuggerEntry] = manifest.contributes.debuggers;
  // VS Code suggests the debuggers that list the active file's language; listed, Deadbolt came first (by label, as activated early).
  assert.equal(debuggerEntry.languages, undefined);
  assert.ok(!(manifest.activationEvents as string[]).some((e) => e.startsWith('onDebugDynamicConfigurations')));
});

test('node launch configurations gain the lock tracing attributes, and the extension resolves them', () => {
  for (const type of ['node', 'pwa-node']) {
    const entry = (manifest.contributes.debuggers as { type: string; configurationAttributes: { launch: { properties: Record<string, { default?: unknown }> } } }[]).find((d) => d.type === type);
    assert.ok(entry, type);
    const attributes = entry.configurationAttributes.launch.properties;
    assert.deepEqual(Object.keys(attributes).sort(), ['deadboltLockTracing', 'stopOnDeadlock', 'stopOnPotentialDeadlock']);
    assert.equal(attributes.stopOnPotentialDeadlock!.default, false);
    assert.ok(manifest.activationEvents.includes(`onDebugResolve:${type}`));
  }
});

test('the extension activates on TypeScript and JavaScript and its entry is the bundle', () => {
  assert.ok(manifest.activationEvents.includes('onLanguage:typescript'));
  assert.ok(manifest.activationEvents.includes('onLanguage:javascript'));
  assert.equal(manifest.main, './dist/extension.js');
});

test('the VSIX leaves out sources and node_modules: everything it runs is bundled', () => {
  const ignored = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const pattern of ['node_modules/**', 'src/**', 'webview/**', 'test/**', 'e2e/**']) assert.ok(ignored.includes(pattern), pattern);
});
