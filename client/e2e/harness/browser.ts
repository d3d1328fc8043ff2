/**
 * The pieces every browser test shares: Chromium launched headless from Debian's package with a fresh profile, and
 * test steps that leave a screenshot of the page when they fail, so a red run in CI shows what the browser showed.
 */
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './paths.js';

/** Playwright's launch() gives the browser a new, empty profile of its own and removes it on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A subtest runner whose failures first save `screenshot('failed-<step name>')`. */
export function stepsWithScreenshots(t: TestContext, screenshot: (name: string) => Promise<unknown>): (name: string, fn: () => Promise<void>) => Promise<void> {
  return (name, fn) =>
    t.test(name, async () => {
      try {
        await fn();
      } catch (error) {
        await screenshot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
        throw error;
      }
    });
}
