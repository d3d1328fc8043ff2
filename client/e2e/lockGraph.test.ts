/**
 * The lock-graph panel on workspaces of a real size, in a real VS Code (code-server in headless Chromium): a
 * generated workspace of 22 files with 34 locks, 14 edges and 6 cycles (mostly isolated locks, as in issue 12),
 * and one of 200 locks, 300 edges and 10 cycles. At the default zoom every cycle lock's label must render at 11 px
 * or more, the first cycle must be in view, isolated locks must expand from their count, the search must narrow
 * the drawing, and a lock-order diagnostic's "Show in Lock Graph" must open the panel on its cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { launchChromium, newPage, stepsWithScreenshots } from './harness/browser.js';
import { startCodeServer, type CodeServer } from './harness/codeServer.js';
import { labelSizes } from './harness/labels.js';
import { vsixPath } from './harness/paths.js';
import { Workbench } from './harness/workbench.js';
import { generatedWorkspace } from './harness/workspace.js';

const STEP_TIMEOUT_MS = 180_000;
const READABLE_PX = 11;

test('the lock graph stays readable on real-sized workspaces', { timeout: 1_200_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-graph-e2e-'));
  const small = generatedWorkspace(root, 'shop', { locks: 34, edges: 14, cycles: 6, files: 22 });
  const large = generatedWorkspace(root, 'platform', { locks: 200, edges: 300, cycles: 10, files: 40 });
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
  const bench = new Workbench(page, STEP_TIMEOUT_MS);
  const step = stepsWithScreenshots(t, (name) => bench.screenshot(name), () => server?.recentLogs() ?? '');

  /** Opens the workspace, shows the panel, and waits for the drawing of the expected graph. */
  const showGraph = async (workspace: string, file: string, expected: { nodes: number; edges: number; cycles: number }) => {
    await page.goto(`${server!.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: STEP_TIMEOUT_MS });
    await bench.waitUntilReady();
    await bench.openFile(file, 'generated for the lock-graph tests');
    await (await bench.problems('lock-order')).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    // The Problems panel is closed so the graph gets the editor area's full height, as a person looking at it would.
    await bench.runCommand('View: Hide Panel');
    await bench.runCommand('Deadbolt: Show Lock Graph');
    const body = bench.webview().locator(
      `body[data-rendered="true"][data-mode="static"][data-nodes="${expected.nodes}"][data-edges="${expected.edges}"][data-cycles="${expected.cycles}"]`,
    );
    await body.waitFor({ timeout: STEP_TIMEOUT_MS });
    return body;
  };

  const assertCycleLabelsReadable = async (body: Locator, cycles: number) => {
    const sizes = await labelSizes(body, 'g.node.cycle text.node-label');
    const titles = await body.locator('.section-title.cycle').count();
    assert.equal(titles, cycles, 'one section per cycle');
    assert.ok(sizes.length >= cycles * 2, `every cycle's locks are drawn (${sizes.length} labels)`);
    for (const size of sizes) {
      assert.ok(size.renderedPx >= READABLE_PX, `${size.text} renders at ${size.renderedPx.toFixed(1)} px`);
      assert.ok(size.boxHeight >= READABLE_PX, `${size.text}'s box is ${size.boxHeight.toFixed(1)} px high`);
    }
    // Cycles come first: the first cycle's locks are on screen without scrolling.
    const first = await labelSizes(body, 'g.node[data-key^="cycle0/"] text.node-label');
    assert.ok(first.length >= 2 && first.every((s) => s.inView), `the first cycle is in view: ${JSON.stringify(first)}`);
    return sizes;
  };

  await step('22 files, 34 locks, 14 edges, 6 cycles: cycle labels at 11 px or more, isolated locks behind a count', async () => {
    const body = await showGraph(small, 'billing.ts', { nodes: 34, edges: 14, cycles: 6 });
    await assertCycleLabelsReadable(body, 6);
    assert.equal(await body.getAttribute('data-isolated'), '20');
    assert.equal(await body.locator('g.node').count(), 14, 'only the locks of the cycles are drawn');
    await bench.screenshot('lock-graph-22-files', { forGuide: true });

    const toggle = body.locator('#isolated-toggle');
    assert.equal(await toggle.innerText(), 'Show 20 isolated locks');
    await toggle.click();
    await body.locator('g.node').nth(33).waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.equal(await body.locator('g.node').count(), 34);
    for (const size of await labelSizes(body, 'g.node text.node-label')) assert.ok(size.renderedPx >= READABLE_PX, size.text);
    await toggle.click();
    await body.locator('g.node').nth(14).waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
  });

  await step('the search narrows the drawing to the matches and their neighbours', async () => {
    const body = bench.webview().locator('body');
    await body.locator('#search').fill('ledgerLock');
    await body.locator('g.node.match').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const matched = await body.locator('g.node.match').evaluateAll((nodes) => nodes.map((n) => n.textContent));
    assert.ok(matched.length > 0 && matched.every((text) => text?.includes('ledgerLock')), JSON.stringify(matched));
    assert.ok((await body.locator('g.node').count()) < 14);
    await body.locator('#search').fill('');
    await body.locator('g.node').nth(13).waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  await step('the one-file view starts from the file being edited', async () => {
    const body = bench.webview().locator('body');
    await body.locator('#view-scope').selectOption('file');
    await body.locator('#view-file').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    // billing.ts is the editor's file: its locks and what they reach, not the whole workspace.
    assert.equal(await body.locator('#view-file option:checked').innerText(), 'billing.ts');
    await bench.webview().locator('body[data-rendered="true"]:not([data-nodes="34"])').waitFor({ timeout: STEP_TIMEOUT_MS });
    assert.match(await body.locator('#view-summary').innerText(), /^billing\.ts: /);
    await body.locator('#view-scope').selectOption('workspace');
    await bench.webview().locator('body[data-nodes="34"]').waitFor({ timeout: STEP_TIMEOUT_MS });
  });

  await step('Show in Lock Graph on a lock-order diagnostic opens the panel on its cycle', async () => {
    await bench.runCommand('View: Close All Editors');
    await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT_MS });
    const rows = await bench.problems('lock-order');
    const row = rows.first();
    await row.waitFor({ timeout: STEP_TIMEOUT_MS });
    const message = await row.innerText();
    await row.click();
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: STEP_TIMEOUT_MS });
    const menu = await bench.quickFixMenu();
    await menu.filter({ hasText: 'Show in Lock Graph' }).first().click({ timeout: STEP_TIMEOUT_MS });
    const body = bench.webview().locator('body[data-rendered="true"][data-cycles="1"]');
    await body.waitFor({ timeout: STEP_TIMEOUT_MS });
    const title = await body.locator('.section-title.cycle').first().textContent();
    const names = /Cycle 1 of 1: (.*)/.exec(title ?? '')![1]!.split(' \u2192 ');
    for (const name of names) assert.ok(message.includes(name), `${name} of "${title}" is named by the diagnostic: ${message}`);
    await assertCycleLabelsReadable(body, 1);
  });

  await step('200 locks, 300 edges, 10 cycles: every cycle label at 11 px or more at the default zoom', async () => {
    const body = await showGraph(large, 'billing.ts', { nodes: 200, edges: 300, cycles: 10 });
    const sizes = await assertCycleLabelsReadable(body, 10);
    assert.ok(sizes.length >= 23, `10 cycles of 2 and 3 locks: ${sizes.length} labels`);
    // The drawing is bigger than the panel and scrolls instead of shrinking.
    const scroll = await body.locator('#graph').evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    assert.ok(scroll.scrollHeight > scroll.clientHeight, JSON.stringify(scroll));
    await bench.screenshot('lock-graph-200-locks', { forGuide: true });

    // Past the cycles, the other orders: labels as big as before, the page scrolled rather than shrunk.
    // The topmost lock of the other orders, scrolled near the top left of the drawing.
    await body.locator('#graph').evaluate((graph) => {
      const nodes = [...graph.querySelectorAll<SVGGElement>('g.node:not(.cycle)')];
      const top = nodes.reduce((best, n) => (n.getBoundingClientRect().top < best.getBoundingClientRect().top ? n : best));
      const box = top.getBoundingClientRect();
      const view = graph.getBoundingClientRect();
      graph.scrollTop += box.top - view.top - 40;
      graph.scrollLeft += box.left - view.left - 24;
    });
    const others = await labelSizes(body, 'g.node:not(.cycle) text.node-label');
    assert.ok(others.length >= 150, `${others.length} other locks drawn`);
    for (const size of others) assert.ok(size.renderedPx >= READABLE_PX, `${size.text} renders at ${size.renderedPx.toFixed(1)} px`);
    await bench.screenshot('lock-graph-200-locks-other-orders', { forGuide: true });
  });
});
