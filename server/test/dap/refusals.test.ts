/**
 * deadbolt-dap runs no JavaScript debugger, and says so: its capabilities claim only what it does, every breakpoint
 * comes back unverified with the reason, and steps, evaluation and the like are refused with an error (at a deadlock
 * stop, one that also says the threads can never run again). Nothing is answered with a silent success.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixtureProgram, fixtureSource, markerLine, startSession } from './harness.js';

/** Capabilities deadbolt-dap may claim: it has no breakpoints, steps, evaluation, memory or restarts. */
const CLAIMABLE = new Set(['supportsConfigurationDoneRequest', 'supportsTerminateRequest']);

test('the capabilities claim only what deadbolt-dap does', async () => {
  const s = await startSession();
  try {
    const response = await s.client.initializeRequest({ adapterID: 'deadbolt', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const claimed = Object.entries(response.body ?? {}).filter(([, value]) => value === true).map(([key]) => key);
    assert.deepEqual(claimed.filter((c) => !CLAIMABLE.has(c)), [], `claimed: ${claimed.join(', ')}`);
    assert.ok(claimed.includes('supportsTerminateRequest'));
    assert.equal((response.body?.exceptionBreakpointFilters ?? []).length, 0);
  } finally {
    await s.close();
  }
});

test('breakpoints are answered unverified, each with the reason and the way to get them', async () => {
  const s = await startSession();
  try {
    await s.client.initializeRequest({ adapterID: 'deadbolt', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const source = { path: fixtureSource('opposite-order') };
    const lines = [markerLine('opposite-order', 'hold'), markerLine('opposite-order', 'wait')];
    const response = await s.client.setBreakpointsRequest({ source, breakpoints: lines.map((line) => ({ line })) });
    assert.equal(response.body.breakpoints.length, 2);
    for (const [i, bp] of response.body.breakpoints.entries()) {
      assert.equal(bp.verified, false);
      assert.equal(bp.line, lines[i]);
      assert.match(bp.message ?? '', /does not stop at breakpoints/);
      assert.match(bp.message ?? '', /"deadboltLockTracing": true/);
    }
    const functions = await s.client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'transfer' }] });
    assert.deepEqual(functions.body.breakpoints.map((b) => b.verified), [false]);
  } finally {
    await s.close();
  }
});

test('at a deadlock stop, steps and evaluation are refused with an error; the threads stay stopped', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('opposite-order') });
    const stopped = await s.waitFor('stopped', (e) => e.body.reason === 'deadlock');
    const threadId = stopped.body.threadId as number;
    const refusals: [string, () => Promise<DebugProtocol.Response>][] = [
      ['next', () => s.client.nextRequest({ threadId })],
      ['stepIn', () => s.client.stepInRequest({ threadId })],
      ['stepOut', () => s.client.stepOutRequest({ threadId })],
      ['evaluate', () => s.client.evaluateRequest({ expression: 'first', context: 'watch' })],
    ];
    for (const [command, request] of refusals) {
      await assert.rejects(request(), (error: Error) => {
        assert.match(error.message, /^deadbolt-dap cannot /, command);
        assert.match(error.message, /can never run again/, command);
        assert.match(error.message, /JavaScript debugger/, command);
        return true;
      }, `${command} is refused`);
    }
    // Refused, so nothing was resumed: no 'continued' event, and no second stop was needed to show the cycle again.
    assert.equal(s.events.filter((e) => e.event === 'continued').length, 0);
    const threads = (await s.client.threadsRequest()).body.threads.map((t) => t.name);
    assert.ok(threads.includes('transfer-ab') && threads.includes('transfer-ba'), threads.join(', '));
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});

test('a step while the program runs is refused too, without the deadlock sentence', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('long-wait') });
    await assert.rejects(s.client.nextRequest({ threadId: 1 }), (error: Error) => {
      assert.match(error.message, /^deadbolt-dap cannot step: /);
      assert.doesNotMatch(error.message, /never run again/);
      return true;
    });
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});
