/**
 * One editor session for a test: code-server with the packed VSIX installed, headless Chromium on a workspace, and
 * the workbench ready; everything (browser, server, the temporary root) is ended when the test ends.
 */
import type { TestContext } from 'node:test';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { startCodeServer, type CodeServer } from './codeServer.js';
import { vsixPath } from './paths.js';
import { Workbench } from './workbench.js';

export interface EditorSession {
  page: Page;
  bench: Workbench;
  server: CodeServer;
}

export async function openEditor(t: TestContext, options: { root: string; workspace: string; timeoutMs: number }): Promise<EditorSession> {
  let server: CodeServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  t.after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(options.root, { recursive: true, force: true });
  });
  server = await startCodeServer({ root: options.root, vsix: vsixPath(), timeoutMs: options.timeoutMs });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(options.workspace)}`, { timeout: options.timeoutMs });
  const bench = new Workbench(page, options.timeoutMs);
  await bench.waitUntilReady();
  return { page, bench, server };
}
