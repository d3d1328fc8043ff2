/**
 * The extension in a real VS Code (code-server in headless Chromium): installs the packaged VSIX, opens a
 * workspace with a lock-order cycle, reads the findings in the Problems panel, draws the cycle in the lock-graph
 * panel, applies the reorder quick fix, the lockAll quick fix of the classic lock/unlock deadlock and Fix All and
 * checks the files, then debugs a deadlocking program and
 * checks the live graph. Screenshots for docs/vscode.md are taken on the way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { launchChromium, newPage, stepsWithScreenshots } from './harness/browser.js';
import { startCodeServer, type CodeServer } from './harness/codeServer.js';
import { e2eDir, vsixPath } from './harness/paths.js';
import { Workbench } from './harness/workbench.js';
import { prepareWorkspace } from './harness/workspace.js';
import { lockOrderOf } from './lockOrder.js';

// Generous bounds for a busy 2-core machine: the language server analyses the workspace in a worker on start.
const STEP_TIMEOUT_MS = 120_000;

test('the extension in a real VS Code: findings, lock graph, fixes and a live deadlock', { timeout: 900_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-e2e-'));
  const workspace = prepareWorkspace(root);
  const bankFile = join(workspace, 'src', 'bank.ts');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  server = await startCodeServer({ root, vsix: vsixPath(), timeoutMs: STEP_TIMEOUT_MS });
  browser = await launchChromium();
  const page = await newPage(browser, { width: 1400, height: 860 }, STEP_TIMEOUT_MS);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  const bench = new Workbench(page, STEP_TIMEOUT_MS);
  await bench.waitUntilReady();
  await bench.openFile('bank.ts', 'export function audit');

  const step = stepsWithScreenshots(t, (name) => bench.screenshot(name), () => server?.recentLogs() ?? '');

  await step('the lock-order cycle is reported in the Problems panel', async () => {
    const rows = await bench.problems('lock-order');
    await rows.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const text = await rows.first().innerText();
    assert.match(text, /deadbolt/);
    assert.match(text, /accounts|ledger/);
    await page.locator('.statusbar-item', { hasText: 'Deadbolt' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.screenshot('problems', { forGuide: true });
  });

  await step('Deadbolt: Show Lock Graph draws both locks and highlights the cycle', async () => {
    await bench.runCommand('Deadbolt: Show Lock Graph');
    const body = bench.webview().locator('body[data-rendered="true"][data-mode="static"]:not([data-cycles="0"])');
    await body.waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.ok(Number(await body.getAttribute('data-nodes')) >= 2, 'both locks are nodes');
    assert.ok(Number(await body.getAttribute('data-edges')) >= 2, 'both orders are edges');
    assert.equal(await body.getAttribute('data-cycles'), '1');
    const headline = bench.webview().locator('#headline');
    assert.match(await headline.innerText(), /Potential deadlock: .*(accounts|ledger)/);
    await bench.screenshot('lock-graph', { forGuide: true });

    // A site in the panel opens the acquisition in the editor (the canvas's nodes and edges send the same message).
    await bench.webview().locator('#sites summary').click();
    await bench.webview().locator('#site-list button', { hasText: /\u2192 accounts: bank\.ts:20$/ }).click();
    await page.locator('.statusbar-item', { hasText: /Ln 20, Col \d+/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  await step('the reorder quick fix makes both functions take the locks in one order', async () => {
    const before = lockOrderOf(readFileSync(bankFile, 'utf8'));
    assert.notDeepEqual(before.transfer, before.audit, 'the fixture starts with opposite orders');

    // The reorder fix is offered on the acquisition that breaks the consistent order, so try each finding:
    // Enter on a problem moves the cursor there, and Ctrl+. opens the quick fix menu at the cursor.
    const rows = await bench.problems('lock-order');
    const count = await rows.count();
    let fix: Locator | undefined;
    for (let i = 0; i < count && !fix; i++) {
      await rows.nth(i).click();
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: STEP_TIMEOUT_MS });
      const menu = await bench.quickFixMenu();
      const reorder = menu.filter({ hasText: /before .*the order used elsewhere/ });
      if ((await reorder.count()) > 0) fix = reorder.first();
      else await page.keyboard.press('Escape');
    }
    assert.ok(fix, `one of the ${count} lock-order findings offers the reorder fix`);
    await bench.screenshot('quick-fix', { forGuide: true });
    await fix.click();
    // The edit marks the editor dirty; only then does saving write the fixed text.
    await page.locator('.tab.active.dirty', { hasText: 'bank.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active:not(.dirty)', { hasText: 'bank.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });

    const after = lockOrderOf(readFileSync(bankFile, 'utf8'));
    assert.deepEqual(after.transfer, after.audit, `one order everywhere:\n${readFileSync(bankFile, 'utf8')}`);
    assert.equal(after.transfer.length, 2);
    await (await bench.problems('lock-order')).first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  });

  await step('the lock graph follows the saved code: no cycle is left', async () => {
    const body = bench.webview().locator('body[data-rendered="true"][data-cycles="0"]');
    await body.waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.ok(Number(await body.getAttribute('data-nodes')) >= 2);
  });

  await step('Deadbolt: Fix All makes every shared-memory update atomic', async () => {
    const hitsFile = join(workspace, 'src', 'hits.ts');
    await bench.openFile('hits.ts', 'recordVisit');
    const rows = await bench.problems('non-atomic-update');
    await rows.nth(1).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.runCommand('Deadbolt: Fix All');
    await page.locator('.tab.active.dirty', { hasText: 'hits.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active:not(.dirty)', { hasText: 'hits.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const fixed = readFileSync(hitsFile, 'utf8');
    assert.match(fixed, /Atomics\.\w+\(hits, page, 1\)/, fixed);
    assert.match(fixed, /Atomics\.\w+\(hits, 0, 1\)/, fixed);
    assert.doesNotMatch(fixed, /hits\[\w+\](\s*\+=|\+\+)/, fixed);
    await rows.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  });

  await step('the classic lock/unlock deadlock gets "Take `a` and `b` together with lockAll", and applying it clears it', async () => {
    const actionsFile = join(workspace, 'src', 'actions.ts');
    cpSync(join(e2eDir, 'programs', 'actions.ts'), actionsFile);
    await bench.openPath(actionsFile, 'export function actionB');
    const row = (await bench.problems('lock-order')).filter({ hasText: /`a` is taken while holding `b`/ });
    await row.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    // The finding is on actionB's `a.lock()` (line 21): put the cursor there with Go to Line, as a person would.
    await page.locator('.editor-instance .monaco-editor').first().click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: STEP_TIMEOUT_MS });
    await input.fill(':21:3');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: /Ln 21, Col 3/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const menu = await bench.quickFixMenu();
    const lockAll = menu.filter({ hasText: 'Take `a` and `b` together with lockAll' });
    const offered = await menu.allInnerTexts();
    if ((await lockAll.count()) !== 1) await page.keyboard.press('Escape');
    assert.equal(await lockAll.count(), 1, `menu: ${offered.join(' | ')}`);
    await lockAll.first().click();
    await page.locator('.tab.active.dirty', { hasText: 'actions.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active:not(.dirty)', { hasText: 'actions.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const fixed = readFileSync(actionsFile, 'utf8');
    assert.match(fixed, /lockAll\(\[a, b\], \(\) => \{/, fixed);
    assert.doesNotMatch(fixed.slice(fixed.indexOf('function actionB')), /\.lock\(\)|\.unlock\(\)/, fixed);
    await row.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  });

  await step('debugging a deadlocking program stops on the deadlock and draws it live', async () => {
    cpSync(join(e2eDir, 'programs', 'deadlock.ts'), join(workspace, 'src', 'deadlock.ts'));
    // With the panel closed, the deadlock itself must open it.
    await bench.runCommand('View: Close All Editors');
    await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    // The workspace's launch.json runs src/deadlock.ts with the deadbolt debugger.
    await bench.runCommand('Debug: Start Debugging');

    // The deadlock opens the panel beside the editor of the stopped frame: both in front of their groups, without a
    // click, and no third column squeezed in.
    const live = bench.webview().locator('body[data-rendered="true"][data-mode="live"]:not([data-cycles="0"])');
    await live.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.ok(Number(await live.getAttribute('data-nodes')) >= 4, 'two threads and two locks');
    assert.match((await bench.webview().locator('#headline').textContent()) ?? '', /^Deadlock: .*(accounts|ledger)/);
    await page.locator('.editor-group-container .tab.active', { hasText: 'deadlock.ts' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('.editor-group-container .tab.active', { hasText: 'Deadbolt Lock Graph' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await live.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'the panel and the stopped editor, side by side');
    // The Call Stack lists the worker of the cycle by name, so the stop reached VS Code's debugger UI too.
    await bench.runCommand('View: Show Run and Debug');
    await page.locator('.debug-call-stack', { hasText: 'auditor' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.screenshot('live-deadlock', { forGuide: true });

    await bench.runCommand('Debug: Stop');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
  });
});
