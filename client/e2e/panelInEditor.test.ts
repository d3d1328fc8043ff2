/**
 * The extension's pages in a real VS Code (code-server in headless Chromium, the packed VSIX installed): the rule
 * code of a finding in the Problems panel opens the rule's page rendered by the Markdown preview; the lock-graph
 * panel's text keeps a contrast of 4.5:1 or more in the default themes (Light 2026, Dark 2026), the Modern and
 * "+" themes and both high-contrast themes, for static and live graphs (thread labels included); and after a window
 * reload the panel is back, drawn, without running the command again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { stepsWithScreenshots } from './harness/browser.js';
import { textContrasts } from './harness/contrast.js';
import { generatedGraphs } from './harness/panelPage.js';
import { openEditor } from './harness/session.js';
import { prepareWorkspace } from './harness/workspace.js';

const STEP_TIMEOUT_MS = 120_000;
/** WCAG 2's minimum for text (AA). */
const MIN_CONTRAST = 4.5;
/** The built-in themes a user is most likely to have, by label: the defaults first. */
const THEMES = ['Light 2026', 'Dark 2026', 'Light Modern', 'Dark Modern', 'Light+', 'Dark+', 'Dark High Contrast', 'Light High Contrast'];

test('the rule pages, the panel\'s contrast in every default theme, and the panel after a reload', { timeout: 900_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-panel-e2e-'));
  const { page, bench, server } = await openEditor(t, { root, workspace: prepareWorkspace(root), timeoutMs: STEP_TIMEOUT_MS });
  await bench.openFile('bank.ts', 'export function audit');
  const step = stepsWithScreenshots(t, (name) => bench.screenshot(name), () => server.recentLogs());

  await step('the rule code in the Problems panel opens the rule page, rendered', async () => {
    const row = (await bench.problems('lock-order')).first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    // The code column is a link (the diagnostic's codeDescription), opened by VS Code and handed to the extension.
    await row.locator('a.monaco-link', { hasText: 'lock-order' }).click();
    // The Markdown preview is a webview: the page's heading is an <h1>, not the text "# lock-order".
    const heading = bench.webview().locator('h1', { hasText: /^lock-order$/ });
    await heading.waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await bench.webview().locator('body').innerText(), /Default severity: error/);
    await page.locator('.tab.active', { hasText: /Preview lock-order\.md/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.screenshot('rule-page', { forGuide: true });
    // A link inside the page to another shipped page opens it too.
    await bench.webview().locator('a[href$="fixes.md"]').first().click();
    await bench.webview().locator('h1', { hasText: /fix/i }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.runCommand('View: Close All Editors');
  });

  const panel = (): Locator => bench.webview().locator('body');

  await step('every text of the panel has a contrast of 4.5:1 or more in each default theme', async () => {
    await bench.openFile('bank.ts', 'export function audit');
    await bench.runCommand('Deadbolt: Show Lock Graph');
    await bench.webview().locator('body[data-rendered="true"][data-mode="static"]:not([data-cycles="0"])').waitFor({ timeout: STEP_TIMEOUT_MS });
    const { liveGraph } = await generatedGraphs();
    const failures: string[] = [];
    for (const theme of THEMES) {
      await bench.setColorTheme(theme);
      await bench.webview().locator(`body[data-vscode-theme-name="${theme}"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
      for (const mode of ['static', 'live'] as const) {
        if (mode === 'live') {
          // What a debug session sends: the page takes it as it takes the extension's messages.
          await panel().evaluate((body, graph) => body.ownerDocument.defaultView!.postMessage({ type: 'live', graph, session: 'e2e' }, '*'), liveGraph(16, 30));
          await bench.webview().locator('body[data-rendered="true"][data-mode="live"]').waitFor({ timeout: STEP_TIMEOUT_MS });
          const show = panel().locator('#isolated-toggle', { hasText: /^Show/ });
          if ((await show.count()) > 0) await show.click();
          await panel().locator('g.node.thread').first().waitFor({ timeout: STEP_TIMEOUT_MS });
        } else {
          // The site list is measured too, so it is opened.
          const closed = panel().locator('#sites:not([open]) summary');
          if ((await closed.count()) > 0) await closed.click();
          await panel().locator('#sites[open]').waitFor({ timeout: STEP_TIMEOUT_MS });
        }
        const measured = await textContrasts(panel());
        assert.ok(measured.some((m) => m.what.includes('node-label')), `${theme}, ${mode}: labels were measured`);
        if (mode === 'live') assert.ok(measured.some((m) => m.what.includes('g.node.thread')), `${theme}: thread labels were measured`);
        for (const m of measured.filter((x) => !(x.ratio >= MIN_CONTRAST))) {
          failures.push(`${theme}, ${mode}: "${m.text}" (${m.what}) ${m.foreground} on ${m.background} is ${m.ratio.toFixed(2)}:1`);
        }
      }
      await panel().locator('#tab-static').click();
      await bench.webview().locator('body[data-rendered="true"][data-mode="static"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      if (theme === 'Light 2026') await bench.screenshot('lock-graph-light', { forGuide: true });
    }
    await bench.setColorTheme('Dark Modern');
    assert.deepEqual([...new Set(failures)], []);
  });

  await step('after a window reload the panel is back and drawn', async () => {
    await page.reload();
    await bench.waitUntilReady();
    await page.locator('.tab', { hasText: 'Deadbolt Lock Graph' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await bench.webview().locator('body[data-rendered="true"][data-mode="static"]:not([data-cycles="0"])').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.ok(Number(await panel().getAttribute('data-nodes')) >= 2);
  });
});
