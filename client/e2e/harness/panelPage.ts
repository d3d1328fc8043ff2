/**
 * The lock-graph panel's page outside VS Code: the same HTML (panelHtml), script and stylesheet the VSIX ships,
 * opened from disk in Chromium with a stand-in for the webview API, so a test can give the panel any height and feed
 * it graphs directly. What VS Code adds around a webview (themes, the extension host) is tested in code-server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { LiveLockGraph, StaticLockGraph } from '@deadbolt/server/protocol';
import { panelHtml } from '../../src/graphPanel/html.js';
import { clientDir, repoDir } from './paths.js';

/** Writes the page into `dir` and returns its file URL. */
export function writePanelPage(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const panel = join(clientDir, 'dist', 'panel');
  const html = panelHtml({
    cspSource: 'file:',
    scriptUri: pathToFileURL(join(panel, 'webview.js')).href,
    styleUri: pathToFileURL(join(panel, 'panel.css')).href,
  });
  const file = join(dir, 'panel.html');
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

/**
 * Opens the page in `page` and waits until its script has said it is ready. The stand-in for `acquireVsCodeApi`
 * keeps what the page posts in `window.posted`; it is installed before any script of the page runs.
 */
export async function openPanelPage(page: Page, url: string, timeoutMs: number): Promise<void> {
  await page.addInitScript(() => {
    const posted: unknown[] = [];
    Object.assign(window, { posted, acquireVsCodeApi: () => ({ postMessage: (message: unknown) => posted.push(message), setState() {}, getState() {} }) });
  });
  await page.goto(url, { timeout: timeoutMs });
  await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'), undefined, { timeout: timeoutMs });
}

/** Sends the page what the extension would: a static graph from the server, or a debug session's live graph. */
export async function sendGraph(page: Page, message: { type: 'static'; graph: StaticLockGraph } | { type: 'live'; graph: LiveLockGraph; session: string }): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

/** The generated graphs of the server's layout tests (server/test/graph-view/generate.ts), built by `tsc -b`. */
export async function generatedGraphs(): Promise<{
  staticGraph(locks: number, edges: number, cycles: number, files: number, seed?: number, shape?: 'random' | 'layered'): StaticLockGraph;
  liveGraph(threads: number, locks: number): LiveLockGraph;
}> {
  return import(pathToFileURL(join(repoDir, 'server', 'dist', 'test', 'graph-view', 'generate.js')).href);
}
