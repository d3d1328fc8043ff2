/**
 * The lock-graph panel at the sizes people give it, in Chromium: at 400, 600 and 900 px of height (400 is a normal
 * editor with the bottom panel open) the drawing stays in its own scrolling box and never paints over the
 * "Acquisition sites" list, open or closed; a workspace of 250 locks whose other orders form one long band stays
 * within 4 screens of width; and the neighbourhood view opens on a lock that has neighbours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage } from './harness/browser.js';
import { generatedGraphs, openPanelPage, sendGraph, writePanelPage } from './harness/panelPage.js';
import { screenshotsDir } from './harness/paths.js';
import { WITHIN_MS } from '../test/deadline.js';

// Waits on Chromium, bounded as every wait on another process is (deadline.ts).
const TIMEOUT_MS = WITHIN_MS;
const WIDTH = 1000;

interface Boxes {
  graph: DOMRect;
  sites: DOMRect;
  /** What is painted at a few points of the site list: true when it is the list itself, not the drawing. */
  sitesOnTop: boolean[];
  viewportHeight: number;
}

function boxes(page: Page): Promise<Boxes> {
  return page.evaluate(() => {
    const graph = document.getElementById('graph')!.getBoundingClientRect();
    const sitesElement = document.getElementById('sites')!;
    const sites = sitesElement.getBoundingClientRect();
    const points = [0.1, 0.5, 0.9].flatMap((fx) => [0.25, 0.75].map((fy) => [sites.left + sites.width * fx, sites.top + sites.height * fy] as const));
    const sitesOnTop = points.map(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && sitesElement.contains(hit);
    });
    return { graph: graph.toJSON() as DOMRect, sites: sites.toJSON() as DOMRect, sitesOnTop, viewportHeight: window.innerHeight };
  });
}

test('the lock-graph panel at any size', { timeout: 300_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'deadbolt-panel-page-'));
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    rmSync(root, { recursive: true, force: true });
  });
  const url = writePanelPage(root);
  mkdirSync(screenshotsDir, { recursive: true });
  const { staticGraph } = await generatedGraphs();
  // The workspace of the issue: 250 locks, one long band of other orders, 10 cycles.
  const graph = staticGraph(250, 248, 10, 40, 1, 'layered');
  browser = await launchChromium();

  for (const height of [400, 600, 900]) {
    await t.test(`${height} px high: the drawing never covers the site list`, async () => {
      const page = await newPage(browser!, { width: WIDTH, height }, TIMEOUT_MS);
      try {
        await openPanelPage(page, url, TIMEOUT_MS);
        await sendGraph(page, { type: 'static', graph });
        await page.locator('body[data-rendered="true"][data-cycles="10"]').waitFor({ timeout: TIMEOUT_MS });
        for (const open of [false, true]) {
          if (open) await page.locator('#sites summary').click();
          await page.locator(`#sites${open ? '[open]' : ':not([open])'}`).waitFor({ timeout: TIMEOUT_MS });
          const b = await boxes(page);
          const state = `${height} px, sites ${open ? 'open' : 'closed'}`;
          assert.ok(b.graph.bottom <= b.sites.top + 0.5, `${state}: the drawing ends at ${b.graph.bottom}, below the list's top ${b.sites.top}`);
          assert.ok(b.sites.bottom <= b.viewportHeight + 0.5, `${state}: the list ends at ${b.sites.bottom}, off the ${b.viewportHeight} px page`);
          assert.ok(b.graph.height >= 100, `${state}: the drawing keeps ${b.graph.height} px`);
          assert.deepEqual(b.sitesOnTop, b.sitesOnTop.map(() => true), `${state}: the drawing is painted over the list`);
          await page.screenshot({ path: join(screenshotsDir, `panel-${height}px-sites-${open ? 'open' : 'closed'}.png`) });
        }
      } finally {
        await page.close();
      }
    });
  }

  await t.test('250 locks: the other orders fit 4 screens in width, and the neighbourhood view opens on a lock with neighbours', async () => {
    const page = await newPage(browser!, { width: WIDTH, height: 800 }, TIMEOUT_MS);
    try {
      await openPanelPage(page, url, TIMEOUT_MS);
      await sendGraph(page, { type: 'static', graph });
      await page.locator('body[data-rendered="true"][data-cycles="10"]').waitFor({ timeout: TIMEOUT_MS });
      const widths = await page.evaluate(() => {
        const others = [...document.querySelectorAll<SVGGElement>('g.node[data-key^="edges"]')].map((n) => n.getBoundingClientRect());
        return {
          others: Math.max(...others.map((r) => r.right)) - Math.min(...others.map((r) => r.left)),
          scroll: document.getElementById('graph')!.scrollWidth,
          screen: document.getElementById('graph')!.clientWidth,
          count: others.length,
        };
      });
      assert.ok(widths.count >= 200, `${widths.count} locks drawn in the other orders`);
      assert.ok(widths.others <= 4 * widths.screen, `the other orders are ${widths.others} px wide on a ${widths.screen} px screen`);
      assert.ok(widths.scroll <= 4 * widths.screen, `the drawing scrolls ${widths.scroll} px sideways on a ${widths.screen} px screen`);
      await page.locator('#graph').evaluate((graph) => {
        const first = graph.querySelector<SVGGElement>('g.node[data-key^="edges"]');
        if (first) graph.scrollTop += first.getBoundingClientRect().top - graph.getBoundingClientRect().top - 40;
      });
      await page.screenshot({ path: join(screenshotsDir, 'panel-250-locks-other-orders.png') });

      await page.locator('#view-scope').selectOption('lock');
      await page.locator('body[data-rendered="true"]:not([data-nodes="250"])').waitFor({ timeout: TIMEOUT_MS });
      const nodes = Number(await page.locator('body').getAttribute('data-nodes'));
      assert.ok(nodes >= 2, `the neighbourhood shows ${nodes} lock(s)`);
      assert.ok((await page.locator('g.edge').count()) >= 1, 'and the orders joining them');
    } finally {
      await page.close();
    }
  });
});
