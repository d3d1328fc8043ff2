/**
 * The pieces every browser test shares: Chromium launched headless from Debian's package with a fresh profile, pages
 * whose waits are bounded for a loaded machine, and test steps that leave a screenshot of the page when they fail, so a red run in CI shows what the browser showed.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, screenshotsDir } from './paths.js';

/**
 * Every failed step, its error and the editor's logs, appended: CI prints the end of this file after a red run, where
 * the log of the whole run would cut a long message short.
 */
const failuresLog = join(screenshotsDir, 'failures.log');

/** Playwright's launch() gives the browser a new, empty profile of its own and removes it on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page of `browser` on which every action and navigation waits at most `timeoutMs`: Playwright's default of
 * 30 s is too short on a loaded machine, and a step that cannot happen still fails, naming what it waited for.
 */
export async function newPage(browser: Browser, viewport: { width: number; height: number }, timeoutMs: number): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(timeoutMs);
  return page;
}

/**
 * A subtest runner whose failures first save `screenshot('failed-<step name>')`, add `logs()` (the editor's logs,
 * when given) to the error's message and append that message to `failuresLog`: a CI run keeps only what was printed.
 */
export function stepsWithScreenshots(
  t: TestContext,
  screenshot: (name: string) => Promise<unknown>,
  logs?: () => string,
): (name: string, fn: () => Promise<void>) => Promise<void> {
  return (name, fn) =>
    t.test(name, async () => {
      try {
        await fn();
      } catch (error) {
        await screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
        if (logs !== undefined && error instanceof Error) error.message += `\n--- logs at the failure ---\n${logs()}`;
        mkdirSync(screenshotsDir, { recursive: true });
        appendFileSync(failuresLog, `=== ${new Date().toISOString()} ${name}\n${error instanceof Error ? error.message : String(error)}\n`);
        throw error;
      }
    });
}
