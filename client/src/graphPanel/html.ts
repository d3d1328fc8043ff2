/**
 * The lock-graph panel's HTML. Pure (no vscode import) so its Content-Security-Policy can be unit-tested:
 * nothing runs but the one bundled script carrying the nonce, no style applies but the extension's stylesheet and
 * the one <style> the script adds with the same nonce, and nothing loads from outside the extension.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** `webview.cspSource`: the origin VS Code serves extension files from inside the webview. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

/** A fresh nonce per page load: a script tag is trusted only when it carries the value of this page. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

const escapeAttr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(input.cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttr(input.styleUri)}">
  <title>Deadbolt Lock Graph</title>
</head>
<body>
  <header role="toolbar">
    <div role="tablist" aria-label="Graph">
      <button id="tab-static" role="tab" aria-selected="true" title="Lock order found by the analyzer">Static</button>
      <button id="tab-live" role="tab" aria-selected="false" hidden title="Threads and locks of the running program">Live</button>
    </div>
    <span id="summary"></span>
    <span class="spacer"></span>
    <button id="refresh" title="Analyse the workspace again">Refresh</button>
  </header>
  <p id="headline" hidden></p>
  <div id="empty">Loading...</div>
  <!-- Filled by the shared graph script: view controls and the scrolling drawing. -->
  <div id="graph-app"></div>
  <details id="sites">
    <summary>Acquisition sites</summary>
    <ul id="site-list" aria-label="Locks and edges with their source sites"></ul>
  </details>
  <script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
