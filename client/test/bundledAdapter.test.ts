// The debug adapter as the VSIX runs it: dist/dap.js, started with `node`, compiles a TypeScript program with the
// esbuild-wasm copy beside it (no native esbuild binary anywhere on its path) and stops on the program's deadlock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WITHIN_MS, withDeadline } from './deadline.js';

const client = join(__dirname, '..', '..');
const adapter = join(client, 'dist', 'dap.js');
const program = join(client, '..', 'test-fixtures', 'programs', 'ts-deadlock.ts');

test('the bundled adapter runs a TypeScript program through esbuild-wasm and stops on its deadlock', async () => {
  assert.ok(existsSync(join(client, 'dist', 'esbuild-wasm', 'esbuild.wasm')), 'esbuild.wasm ships beside dap.js');
  assert.ok(!existsSync(join(client, 'dist', 'esbuild')), 'no native esbuild binary ships');
  const dc = new DebugClient('node', adapter, 'deadbolt');
  // The first compile instantiates esbuild.wasm: slower than the native binary on a busy machine. The library bounds
  // its event waits by this, not its requests, so those are bounded here.
  dc.defaultTimeout = WITHIN_MS;
  const within = <T>(promise: Promise<T>, what: string): Promise<T> => withDeadline(promise, what, dc.defaultTimeout);
  await dc.start();
  try {
    const stopped = new Promise<DebugProtocol.StoppedEvent>((resolve) => dc.once('stopped', resolve));
    await within(Promise.all([dc.configurationSequence(), dc.launch({ program })]), 'answer to launch from the bundled adapter');
    const event = await within(stopped, "'stopped' event for the deadlock");
    assert.equal(event.body.reason, 'deadlock');
    assert.match(event.body.description ?? '', /inbox/);
    await within(dc.terminateRequest(), "response to 'terminate'");
  } finally {
    await within(dc.stop(), 'end of the adapter session');
  }
});
