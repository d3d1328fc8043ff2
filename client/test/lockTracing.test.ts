// Unit tests of lock tracing in a JavaScript debugger launch: which configurations can be traced, what tracing adds
// to them, how child sessions map to program threads, and the rows of the Locks view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveLockGraph } from '@deadbolt/server/protocol';
import { lockTracingLaunch, tracingOptions, withLockTracing, workerThreadOfSession, type NodeLaunchConfig } from '../src/debug/lockTracingConfig.js';
import { rowsOf } from '../src/debug/lockRows.js';
import { ThreadSessions } from '../src/debug/threadSessions.js';

const launch: NodeLaunchConfig = { type: 'pwa-node', request: 'launch', name: 'app', program: '/w/src/main.ts', deadboltLockTracing: true };

test('a node launch is traced with the preload after its own node options and the channel in its environment', () => {
  const config = withLockTracing(
    { ...launch, runtimeArgs: ['--import', 'tsx'], env: { KEEP: '1' } },
    { preload: 'file:///ext/dist/trace/preload.js', env: { DEADBOLT_TRACE: 'socket:/tmp/t.sock' }, token: 't1' },
  );
  assert.deepEqual(config.runtimeArgs, ['--import', 'tsx', '--enable-source-maps', '--import', 'file:///ext/dist/trace/preload.js']);
  assert.deepEqual(config.env, { KEEP: '1', DEADBOLT_TRACE: 'socket:/tmp/t.sock' });
  assert.equal(config.__deadboltTraceToken, 't1');
  assert.equal(config.program, '/w/src/main.ts');
});

test('tracing options default to stopping on deadlocks only; attach and other runtimes are refused with the way out', () => {
  assert.deepEqual(tracingOptions(launch), { stopOnDeadlock: true, stopOnPotentialDeadlock: false });
  assert.deepEqual(tracingOptions({ ...launch, stopOnDeadlock: false, stopOnPotentialDeadlock: true }), { stopOnDeadlock: false, stopOnPotentialDeadlock: true });
  for (const runtime of ['node', '/usr/local/bin/node', 'C:\\Program Files\\nodejs\\node.exe', 'node22']) {
    assert.ok(!('error' in tracingOptions({ ...launch, runtimeExecutable: runtime })), runtime);
  }
  const npm = tracingOptions({ ...launch, runtimeExecutable: 'npm' });
  assert.ok('error' in npm && /keep node and add the loader to "runtimeArgs"/.test(npm.error));
  const attach = tracingOptions({ ...launch, request: 'attach' });
  assert.ok('error' in attach && /needs a "launch" configuration/.test(attach.error));
  assert.ok('error' in tracingOptions({ ...launch, stopOnPotentialDeadlock: 'yes' }));
});

test('the command launches the file with the JavaScript debugger and tracing on', () => {
  assert.deepEqual(lockTracingLaunch('/w/src/main.ts', '/w'), {
    type: 'node', request: 'launch', name: 'Debug main.ts with lock tracing', program: '/w/src/main.ts', cwd: '/w', deadboltLockTracing: true,
  });
});

test('js-debug worker sessions name their thread id', () => {
  assert.equal(workerThreadOfSession('[worker 2] teller-1'), 2);
  assert.equal(workerThreadOfSession('[worker 17] worker #17'), 17);
  assert.equal(workerThreadOfSession('main.ts [4242]'), undefined);
});

test('a stop pauses the sessions its threads have, and a thread whose session starts after the stop when it starts', () => {
  const sessions = new ThreadSessions<string>();
  assert.equal(sessions.attach(undefined, 'main'), false);
  assert.equal(sessions.attach(undefined, 'a second process'), false, 'the first process session keeps thread 0');
  assert.equal(sessions.attach(2, 'teller-1'), false);
  // teller-2 (thread 3) deadlocked before js-debug announced its session, as on a loaded machine.
  assert.deepEqual(sessions.forStop([2, 3, 2]), { sessions: ['teller-1'], unattached: [3] });
  assert.equal(sessions.attach(4, 'auditor'), false, 'a thread the stop was not for is not paused');
  assert.equal(sessions.attach(3, 'teller-2'), true, 'the late session is paused when it starts');
  assert.equal(sessions.attach(3, 'teller-2, again'), false, 'once');
  assert.deepEqual(sessions.forStop([0, 3]), { sessions: ['main', 'teller-2, again'], unattached: [] });
});

test('the Locks view lists waiting and holding threads with their lines, then potential deadlocks', () => {
  const at = (line: number) => ({ uri: 'file:///w/src/bank.ts', range: { start: { line, character: 2 }, end: { line, character: 2 } } });
  const graph: LiveLockGraph = {
    threads: [
      { id: 1, name: 'main', state: 'running' },
      { id: 3, name: 'teller-1', state: 'waiting', waitingFor: '2', waitingSince: 0, waitingAt: at(9) },
      { id: 4, name: 'teller-2', state: 'running' },
    ],
    locks: [
      { id: '1', name: 'savings', kind: 'Mutex', holders: [3], waiters: [], heldAt: { 3: at(7) } },
      { id: '2', name: 'checking', kind: 'Mutex', holders: [4], waiters: [3] },
    ],
    cycles: [],
    deadlock: false,
    potentialDeadlocks: [{ locks: ['1', '2'], description: 'savings -> checking -> savings', steps: [
      { thread: 'teller-2', held: '2', taken: '1', heldAt: [], takenAt: [{ location: at(9), message: 'transfer' }] },
    ] }],
  };
  const rows = rowsOf(graph);
  assert.deepEqual(rows.map((r) => [r.label, r.description]), [['teller-1', 'waiting'], ['teller-2', 'running'], ['Potential deadlock: savings -> checking -> savings', undefined]]);
  assert.deepEqual(rows[0]!.children!.map((c) => [c.label, c.description, c.location?.range.start.line]), [['waits for checking', 'held by teller-2', 9], ['holds savings', undefined, 7]]);
  assert.deepEqual(rows[2]!.children!.map((c) => [c.label, c.description]), [['teller-2 takes savings', 'while holding checking']]);
});
