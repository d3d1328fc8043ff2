/**
 * `deadbolt report --html` opened in Chromium, as a reviewer opens a CI artifact: the page draws with no network
 * (every request but the page itself is recorded and refused), lists the findings `check` reports, draws every
 * cycle first with labels at 11 px or more, focuses a cycle from its finding, and draws a live graph of 16
 * threads and 30 locks readably. Screenshots for docs/cli.md are taken on the way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage } from './harness/browser.js';
import { labelSizes } from './harness/labels.js';
import { guideImagesDir, repoDir, screenshotsDir } from './harness/paths.js';
import { generatedWorkspace } from './harness/workspace.js';

const deadboltBin = join(repoDir, 'server', 'bin', 'deadbolt.js');
const READABLE_PX = 11;
const TIMEOUT_MS = 120_000;
/** A whole analysis of the generated workspace by the CLI, on a loaded machine. */
const CLI_MS = 300_000;

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.DEADBOLT_UPDATE_SCREENSHOTS === '1') cpSync(file, join(guideImagesDir, `${name}.png`));
}

test('the HTML report in Chromium', { timeout: 300_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-report-e2e-'));
  const cwd = generatedWorkspace(root, 'shop', { locks: 34, edges: 14, cycles: 6, files: 22 });
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });
  const report = join(root, 'report.html');
  const run = spawnSync(process.execPath, [deadboltBin, 'report', '--html', report], { cwd, encoding: 'utf8', timeout: CLI_MS });
  assert.equal(run.status, 1, `${run.error?.message ?? ''}\n${run.stderr}`);
  const check = JSON.parse(spawnSync(process.execPath, [deadboltBin, 'check', '--format', 'json'], { cwd, encoding: 'utf8', timeout: CLI_MS }).stdout) as {
    diagnostics: unknown[];
  };

  browser = await launchChromium();
  const page = await newPage(browser, { width: 1280, height: 900 }, TIMEOUT_MS);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(report).href) return route.continue();
    requests.push(url);
    return route.abort();
  });

  await t.test('the page draws the findings and the graph with no network', async () => {
    await page.goto(pathToFileURL(report).href);
    const body = page.locator('body[data-rendered="true"][data-nodes="34"][data-edges="14"][data-cycles="6"]');
    await body.waitFor({ timeout: TIMEOUT_MS });
    assert.deepEqual(requests, [], 'no request leaves the page');
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('ul.findings > li').count(), check.diagnostics.length);
    assert.match(await page.locator('#counts').innerText(), /34 locks, 14 order edges, 6 cycles/);
  });

  await t.test('every cycle comes first, each label at 11 px or more', async () => {
    const body = page.locator('body');
    assert.equal(await body.locator('.section-title.cycle').count(), 6);
    const sizes = await labelSizes(body, 'g.node.cycle text.node-label');
    assert.ok(sizes.length >= 12, `${sizes.length} cycle labels`);
    for (const size of sizes) assert.ok(size.renderedPx >= READABLE_PX && size.boxHeight >= READABLE_PX, JSON.stringify(size));
    await page.locator('#graph-app').scrollIntoViewIfNeeded();
    await page.locator('section.graph').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'report');
  });

  await t.test('"Show in graph" on a lock-order finding focuses its cycle', async () => {
    const finding = page.locator('ul.findings > li[data-rule="lock-order"]').nth(3);
    const message = await finding.innerText();
    await finding.locator('button.show-cycle').click();
    await page.locator('body[data-cycles="1"]').waitFor({ timeout: TIMEOUT_MS });
    const title = (await page.locator('.section-title.cycle').first().textContent()) ?? '';
    const names = /Cycle 1 of 1: (.*)/.exec(title)![1]!.split(' \u2192 ');
    for (const name of names) assert.ok(message.includes(name), `${name} is named by ${message}`);
    // Back to the whole workspace from the focus.
    await page.selectOption('#view-scope', 'workspace');
    await page.locator('body[data-cycles="6"][data-nodes="34"]').waitFor({ timeout: TIMEOUT_MS });
  });

  await t.test('the view controls: one file and what it reaches, one lock\'s neighbourhood, grouping by file', async () => {
    await page.selectOption('#view-scope', 'file');
    await page.locator('#view-file').waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    await page.selectOption('#view-file', { label: 'accounts.ts' });
    await page.locator('body[data-rendered="true"]:not([data-nodes="34"])').waitFor({ timeout: TIMEOUT_MS });
    assert.ok(Number(await page.locator('body').getAttribute('data-nodes')) < 34);
    assert.match(await page.locator('#view-summary').innerText(), /^accounts\.ts: /);

    // Clicking a lock makes it the centre of the neighbourhood view and shows where it is declared.
    await page.selectOption('#view-scope', 'workspace');
    await page.locator('body[data-nodes="34"]').waitFor({ timeout: TIMEOUT_MS });
    const first = page.locator('g.node.cycle').first();
    const id = await first.getAttribute('data-id');
    await first.click();
    assert.match(await page.locator('#graph-details').innerText(), /\.ts:\d+/);
    await page.selectOption('#view-scope', 'lock');
    await page.locator('body[data-nodes="34"]').waitFor({ state: 'detached', timeout: TIMEOUT_MS });
    assert.equal(await page.locator('#view-lock').inputValue(), id);
    const ids = await page.locator('g.node').evaluateAll((nodes) => [...new Set(nodes.map((n) => n.getAttribute('data-id')))]);
    assert.ok(ids.includes(id) && ids.length <= 4, `the lock and its neighbours: ${ids.join(', ')}`);

    await page.selectOption('#view-scope', 'workspace');
    await page.selectOption('#group-by', 'file');
    await page.locator('#isolated-toggle').click();
    await page.locator('svg.lock-graph rect.group').first().waitFor({ timeout: TIMEOUT_MS });
    assert.ok((await page.locator('svg.lock-graph .group-label').count()) >= 10, 'files are framed');
    for (const size of await labelSizes(page.locator('body'), 'g.node text.node-label')) assert.ok(size.renderedPx >= READABLE_PX);
    await page.selectOption('#group-by', 'none');
    await page.locator('#isolated-toggle').click();
  });

  await t.test('a live graph of 16 threads and 30 locks stays readable', async () => {
    // The report's script also draws a live graph when the page carries one: the same code as the panel's Live tab.
    const html = readFileSync(report, 'utf8').replace(
      /(<script id="deadbolt-graph" type="application\/json">)[\s\S]*?(<\/script>)/,
      (_, open: string, close: string) => `${open}${JSON.stringify({ live: liveGraph(16, 30) })}${close}`,
    );
    const livePage = join(root, 'live.html');
    writeFileSync(livePage, html);
    await page.unroute('**/*');
    await page.goto(pathToFileURL(livePage).href);
    await page.locator('body[data-rendered="true"][data-cycles="1"][data-nodes="46"]').waitFor({ timeout: TIMEOUT_MS });
    const body = page.locator('body');
    // Free locks nobody waits for are isolated: counted, and drawn once asked for.
    await page.locator('#isolated-toggle').click();
    await page.locator('#isolated-toggle', { hasText: /^Hide/ }).waitFor({ timeout: TIMEOUT_MS });
    // A thread of the deadlock is drawn in the cycle and again among the other waits, so count distinct threads.
    const threadIds = await body.locator('g.node.thread').evaluateAll((nodes) => new Set(nodes.map((n) => n.getAttribute('data-id'))).size);
    assert.equal(threadIds, 16);
    const sizes = await labelSizes(body, 'g.node text.node-label');
    const drawn = await body.locator('g.node').evaluateAll((nodes) => new Set(nodes.map((n) => n.getAttribute('data-id'))).size);
    assert.equal(drawn, 46, 'every thread and lock is drawn');
    for (const size of sizes) assert.ok(size.renderedPx >= READABLE_PX, JSON.stringify(size));
    // No two boxes overlap on screen.
    const boxes = await body.locator('g.node rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        assert.ok(!overlap, `boxes ${i} and ${j} overlap`);
      }
    }
    await page.locator('section.graph').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'report-live-16-threads');
  });
});

/** 16 threads over 30 locks: each holds one or two, half of them wait, and main and worker-1 deadlock. */
function liveGraph(threads: number, locks: number) {
  const names = ['accounts', 'ledger', 'orders', 'stock', 'sessions', 'cache', 'journal', 'inventory', 'billing', 'audit'];
  const holders = new Map<number, number[]>();
  const waiters = new Map<number, number[]>();
  const list = Array.from({ length: threads }, (_, t) => {
    for (const l of [t % locks, ...(t % 3 === 0 ? [(t + threads) % locks] : [])]) (holders.get(l) ?? holders.set(l, []).get(l)!).push(t);
    const waitsFor = t === 0 ? 1 : t === 1 ? 0 : t % 2 === 0 ? (t + 1) % locks : undefined;
    if (waitsFor !== undefined) (waiters.get(waitsFor) ?? waiters.set(waitsFor, []).get(waitsFor)!).push(t);
    return {
      id: t, name: t === 0 ? 'main' : `worker-${t}`, state: waitsFor === undefined ? 'running' : 'waiting',
      ...(waitsFor === undefined ? {} : { waitingFor: `L${waitsFor}` }),
    };
  });
  return {
    threads: list,
    locks: Array.from({ length: locks }, (_, i) => ({
      id: `L${i}`, name: `${names[i % names.length]}${i}`, kind: 'Mutex', holders: holders.get(i) ?? [], waiters: waiters.get(i) ?? [],
    })),
    cycles: [{ threads: [0, 1], locks: ['L1', 'L0'], description: 'main waits for ledger1, held by worker-1, which waits for accounts0, held by main' }],
    deadlock: true,
  };
}
