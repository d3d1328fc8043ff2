// Checks the extension manifest against the code and the public contract: every contributed command is
// registered, settings and debug attributes are described, and the package stays free of node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sources = ['extension.ts', join('debug', 'lockTracing.ts')].map((file) => readFileSync(join(root, 'src', file), 'utf8'));

test('the public commands are contributed under the Deadbolt category, and every registered command is contributed', () => {
  const commands = manifest.contributes.commands as { command: string; title: string; category: string }[];
  assert.deepEqual(commands.map((c) => `${c.category}: ${c.title}`).sort(), [
    'Deadbolt: Debug with Lock Tracing', 'Deadbolt: Fix All', 'Deadbolt: Restart Server', 'Deadbolt: Show Lock Graph', 'Deadbolt: Show Output',
  ]);
  for (const { command } of commands) {
    assert.ok(sources.some((source) => source.includes(`registerCommand('${command}'`)), `${command} is registered`);
  }
  // A command registered but not contributed is missing from the palette (deadbolt.showOutput once was).
  const registered = sources.flatMap((source) => [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));
  assert.deepEqual(registered.filter((id) => !commands.some((c) => c.command === id)), []);
});

test('the marketplace page has a home, a place for bugs, a changelog, and says what works in restricted and virtual workspaces', () => {
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.bugs.url, /^https:\/\/.*\/issues$/);
  assert.ok(existsSync(join(root, 'CHANGELOG.md')), 'CHANGELOG.md');
  const { untrustedWorkspaces, virtualWorkspaces } = manifest.capabilities;
  assert.equal(untrustedWorkspaces.supported, 'limited');
  assert.match(untrustedWorkspaces.description, /Restricted Mode/);
  assert.equal(virtualWorkspaces.supported, false);
  assert.ok(virtualWorkspaces.description.length > 20);
});

test('deadbolt.config.json is validated against the schema the VSIX ships, and the panel comes back after a reload', async () => {
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: 'deadbolt.config.json', url: './dist/deadbolt.config.schema.json' }]);
  // The file the build writes is the schema the language server and the CLI validate with.
  const { configSchema } = await import('@deadbolt/server');
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'dist', 'deadbolt.config.schema.json'), 'utf8')), JSON.parse(JSON.stringify(configSchema)));
  assert.ok(manifest.activationEvents.includes('onWebviewPanel:deadbolt.lockGraph'), 'restoring the panel activates the extension');
  assert.ok(sources[0].includes('registerWebviewPanelSerializer(LockGraphPanel.viewType'));
});

test('every setting has a description, and each rule id of the contract has a severity entry', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string; properties?: object }>;
  assert.deepEqual(Object.keys(properties).sort(), ['deadbolt.blockingFunctions', 'deadbolt.enable', 'deadbolt.rules', 'deadbolt.trace.server']);
  for (const [key, schema] of Object.entries(properties)) assert.ok(schema.description ?? schema.markdownDescription, key);
  assert.deepEqual(Object.keys(properties['deadbolt.rules']!.properties!).sort(), [
    'async-atomicity', 'await-holding-lock', 'blocking-in-async', 'blocking-on-main-thread', 'double-lock', 'lock-leak', 'lock-order', 'non-atomic-update', 'sync-io-in-async', 'unguarded-write',
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

test('the marketplace README lists every rule of the engine, with its page, and shows the extension at work', async () => {
  const { RULE_IDS } = await import('@deadbolt/server');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const id of RULE_IDS) assert.match(readme, new RegExp(`\\[\`${id}\`\\]\\(\\.\\./docs/rules/${id}\\.md\\)`), `${id} is listed with its page`);
  const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+\.png)\)/g)].map((m) => m[1]!);
  assert.ok(images.length >= 4, `${images.length} screenshots`);
  for (const image of images) assert.ok(existsSync(join(root, image)), `${image} is committed`);
});
