/**
 * Lock tracing inside VS Code's JavaScript debugger (js-debug, which code-server ships), in a real VS Code: a plain
 * F5 offers Node.js first; "Deadbolt: Debug with Lock Tracing" runs tellers (workers taking two locks in opposite
 * orders) with a breakpoint hit and a step inside a worker, the live lock graph updating in that same session, the
 * potential deadlock reported on a run that does not deadlock (Problems, the graph, the Debug Console), and the stop on
 * a real deadlock: the deadlocked threads paused through js-debug and the line they wait on shown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { launchChromium, newPage, stepsWithScreenshots } from './harness/browser.js';
import { startCodeServer, type CodeServer } from './harness/codeServer.js';
import { node24, vsixPath } from './harness/paths.js';
import { Workbench } from './harness/workbench.js';
import { prepareTracingWorkspace } from './harness/workspace.js';

// Generous bounds for a busy 2-core machine: js-debug attaches to every worker before it runs.
const STEP_TIMEOUT_MS = 180_000;

test('lock tracing in the JavaScript debugger: breakpoints and steps, the live graph, potential deadlocks, the deadlock stop', { timeout: 1_500_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-tracing-e2e-'));
  const workspace = prepareTracingWorkspace(root);
  const tellerSource = readFileSync(join(workspace, 'src', 'teller.ts'), 'utf8').split('\n');
  const lineOf = (text: string): number => tellerSource.findIndex((l) => l.startsWith(text)) + 1;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  // The programs are TypeScript run as is, which needs Node 24; js-debug takes `node` from the login shell's PATH
  // (code-server resolves it), so it is told which node to run, as a user with several installed would.
  server = await startCodeServer({ root, vsix: vsixPath(), timeoutMs: STEP_TIMEOUT_MS, settings: { 'debug.javascript.defaultRuntimeExecutable': { 'pwa-node': node24 } } });
  browser = await launchChromium();
  const page = await newPage(browser, { width: 1400, height: 860 }, STEP_TIMEOUT_MS);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: STEP_TIMEOUT_MS });
  const bench = new Workbench(page, STEP_TIMEOUT_MS);
  await bench.waitUntilReady();
  const step = stepsWithScreenshots(t, (name) => bench.screenshot(name), () => server?.recentLogs() ?? '');
  const callStack = page.locator('.debug-call-stack');
  const locksView = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Locks (Deadbolt)' }) });
  /**
   * Waits for the Call Stack to show the worker session `teller` paused. The list draws only the rows in view, and a
   * paused session lists its frames, so sessions already seen are collapsed to bring the next one into view.
   */
  const pausedSession = async (teller: string): Promise<void> => {
    const row = callStack.locator('.monaco-list-row', { hasText: new RegExp(`\\[worker \\d+\\] ${teller}`) }).filter({ hasText: /Paused/ });
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const expanded = callStack.locator('.monaco-list-row[aria-level="2"][aria-expanded="true"]').filter({ hasNotText: teller });
      if ((await expanded.count()) > 0) await expanded.first().locator('.monaco-tl-twistie').click();
      try {
        await row.first().waitFor({ timeout: Math.min(10_000, Math.max(1, deadline - Date.now())) });
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  };
  /** Brings an open file's tab to the front (a click is surer than Quick Open right after another quick input). */
  const showTab = async (name: string, text: string): Promise<void> => {
    await page.locator('.tab', { hasText: name }).first().click({ timeout: STEP_TIMEOUT_MS });
    await bench.editorLines().filter({ hasText: text }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  };
  const line = (n: number): Locator => page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${n}, Col \\d+`) });

  await step('with no launch.json, F5 offers Node.js first and does not suggest Deadbolt', async () => {
    await bench.openFile('one-at-a-time.ts', 'await teller');
    const rows = (await bench.runCommandAskingFor('Debug: Start Debugging', 'Select debugger')).locator('.label-name');
    await rows.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const labels = await rows.allInnerTexts();
    await page.keyboard.press('Escape');
    assert.equal(labels[0], 'Node.js', labels.join(' | '));
    assert.ok(!labels.some((l) => /deadbolt/i.test(l)), labels.join(' | '));
  });

  const breakpointLine = lineOf('let amount = 10;');
  await step('a breakpoint inside a worker is hit, and a step moves to the next line, with lock tracing on', async () => {
    await bench.openFile('teller.ts', 'let amount = 10;');
    await page.locator('.editor-instance .monaco-editor').first().click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${breakpointLine}`);
    await page.keyboard.press('Enter');
    await line(breakpointLine).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.runCommand('Debug: Toggle Breakpoint');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: STEP_TIMEOUT_MS });

    await showTab('one-at-a-time.ts', 'await teller');
    await bench.runCommand('Deadbolt: Debug with Lock Tracing');
    await callStack.locator('.monaco-list-row', { hasText: /\[worker \d+\] teller-1/ }).filter({ hasText: /Paused on breakpoint/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('.tab.active', { hasText: 'teller.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await line(breakpointLine).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.screenshot('lock-tracing-breakpoint', { forGuide: true });

    await bench.runCommand('Debug: Step Over');
    await line(breakpointLine + 1).waitFor({ timeout: STEP_TIMEOUT_MS });
    await callStack.locator('.monaco-list-row', { hasText: /teller-1/ }).filter({ hasText: /Paused/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  await step('the Locks view and the live graph show the paused worker holding its lock', async () => {
    const header = page.locator('.pane-header', { hasText: 'Locks (Deadbolt)' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await locksView.locator('.monaco-list-row', { hasText: 'holds savings' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await locksView.locator('.monaco-list-row', { hasText: 'teller-1' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.runCommand('Deadbolt: Show Lock Graph');
    await bench.webview().locator('#tab-live').click({ timeout: STEP_TIMEOUT_MS });
    const live = bench.webview().locator('body[data-rendered="true"][data-mode="live"]');
    await live.waitFor({ timeout: STEP_TIMEOUT_MS });
    // Drawn while teller-1 is paused at the breakpoint: savings, held by teller-1.
    await live.locator('g.edge.holds title', { hasText: 'savings is held by teller-1' }).first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    assert.equal(await live.getAttribute('data-hazards'), '0', 'no potential deadlock yet: only one order has been seen');
  });

  await step('continued, the run finishes without deadlock and the potential deadlock is reported at once', async () => {
    await bench.runCommand('Remove All Breakpoints');
    await bench.runCommand('Debug: Continue');
    // The live graph of the same session gains the cycle of lock orders when teller-2 takes them the other way round.
    const marked = bench.webview().locator('body[data-mode="live"][data-hazards="1"]');
    await marked.waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    assert.match((await bench.webview().locator('#headline').textContent()) ?? '', /^Potential deadlock: (savings -> checking -> savings|checking -> savings -> checking)/);
    assert.equal(await marked.getAttribute('data-cycles'), '0', 'and no deadlock');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    const problems = await bench.problems('Potential deadlock');
    await problems.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    // Both tellers take their second lock on one line of teller.ts: one warning there names both orders.
    assert.equal(await problems.count(), 1);
    const warning = await problems.first().innerText();
    assert.match(warning, /teller-1 takes checking here while holding savings/);
    assert.match(warning, /teller-2 takes savings here while holding checking/);
    assert.match(warning, new RegExp(`Ln ${lineOf('to.lock();')}, Col`));
    await bench.screenshot('lock-tracing-potential-deadlock', { forGuide: true });
    await bench.runCommand('Debug Console: Focus on Debug Console View');
    // The console draws only the rows in view: the end of the report (the last order's stacks) and the program's output.
    await page.locator('.repl', { hasText: /took (savings|checking) at <anonymous> \(.*teller\.ts:\d+:\d+\) while holding/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await page.locator('.repl').first().innerText(), /balances 0 0/);
  });

  await step('a real deadlock pauses the deadlocked workers through the debugger and shows the line they wait on', async () => {
    await bench.openFile('deadlock.ts', 'bothHolding');
    await bench.runCommand('Deadbolt: Debug with Lock Tracing');
    const live = bench.webview().locator('body[data-rendered="true"][data-mode="live"]:not([data-cycles="0"])');
    await live.waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    assert.match((await bench.webview().locator('#headline').textContent()) ?? '', /^Deadlock: teller-\d holds (savings|checking) and waits for/);
    // The line the first teller waits on is in front, with its note, though VS Code first showed the runtime's wait.
    await page.locator('.tab.active', { hasText: 'teller.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await line(lineOf('to.lock();')).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.runCommand('View: Show Run and Debug');
    await locksView.locator('.monaco-list-row', { hasText: 'deadlocked' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await locksView.locator('.monaco-list-row', { hasText: /waits for (savings|checking)/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.screenshot('lock-tracing-deadlock', { forGuide: true });
    for (const teller of ['teller-1', 'teller-2']) await pausedSession(teller);
    await bench.runCommand('Debug: Stop');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  });
});
