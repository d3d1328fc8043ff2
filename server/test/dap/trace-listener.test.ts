/**
 * The socket end of a trace channel, as the VS Code extension uses it for a program the JavaScript debugger starts:
 * the program's collector connects to the listener named in its environment, the batches arrive in order, the end of
 * the program ends the channel, and a second program given the same channel is turned away.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { TraceBatch } from '@deadbolt/runtime/trace';
import { preloadFor } from '../../src/dap/preload.js';
import { TraceListener } from '../../src/dap/trace-listener.js';
import { TraceMonitor } from '../../src/dap/trace-monitor.js';
import { EVENT_TIMEOUT_MS, fixtureProgram } from './harness.js';

function run(program: string, args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, ['--enable-source-maps', '--import', preloadFor(program), program, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const guard = setTimeout(() => child.kill('SIGKILL'), EVENT_TIMEOUT_MS);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(guard), resolve(code))));
}

test('a traced program reports over the socket it is given, and its end ends the channel', async () => {
  const batches: TraceBatch[] = [];
  let connected = 0;
  const failures: string[] = [];
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const listener = await TraceListener.open({ connected: () => connected++, batch: (b) => batches.push(b), failure: (m) => failures.push(m), ended: () => ended() });
  try {
    assert.match(listener.spec, /^socket:/);
    const program = fixtureProgram('tellers');
    assert.equal(await run(program, ['one-at-a-time'], listener.environment()), 0);
    await end;
    assert.equal(connected, 1);
    assert.deepEqual(failures, []);
    // The batches make the same report as through the adapter: the engine is the one both use.
    const monitor = new TraceMonitor();
    const found = batches.flatMap((b) => monitor.apply(b).potentialDeadlocks);
    assert.deepEqual(found.map((f) => monitor.potentialDeadlockSummary(f).split(' (')[0]), ['Potential deadlock: checking -> savings -> checking']);
    // The listener took its one program: another one given the channel runs untraced.
    assert.equal(await run(program, ['one-at-a-time'], listener.environment()), 0);
    assert.equal(connected, 1);
  } finally {
    listener.close();
  }
});
