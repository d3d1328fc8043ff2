/**
 * The HTML report's page: a summary, the findings grouped by file (with every related location), and the lock
 * graph, all in one file. The script and styles are inline and a Content-Security-Policy forbids any other load,
 * so the page opened from a CI artifact makes no network request.
 */
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../engine/index.js';
import type { StaticLockGraph } from '../../protocol/index.js';
import { displayPath } from './paths.js';

export interface HtmlPageInput {
  findings: readonly Finding[];
  graph: StaticLockGraph;
  files: number;
  cwd: string;
  version: string;
  /** The bundled graph script (report-page.ts and what it imports). */
  script: string;
  /** The graph's stylesheet, shared with the editor's panel. */
  css: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A finding's message as HTML: escaped, with the Markdown code spans the engine writes (`accounts`) shown as code,
 * as the editor shows them, rather than with their backticks.
 */
export const messageHtml = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** Text inside a <script> element ends at the first `</script`; `<\/` means the same to JavaScript and JSON. */
const scriptText = (text: string): string => text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/**
 * The page's colours: the theme variables the shared graph stylesheet reads in the editor, given here with values
 * for a light and a dark page, so the report follows the reader's `prefers-color-scheme`. Every text colour is at
 * 4.5:1 or more on its background in both.
 */
const THEME_CSS = `
:root { color-scheme: light dark;
  --vscode-editor-background: #ffffff; --vscode-foreground: #3b3b3b; --vscode-editor-foreground: #1f1f1f;
  --vscode-descriptionForeground: #616161; --vscode-errorForeground: #c72e0f; --vscode-editorWidget-background: #f3f3f3;
  --vscode-badge-background: #c4c4c4; --vscode-badge-foreground: #333333; --vscode-input-background: #ffffff;
  --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece; --vscode-panel-border: #d4d4d4;
  --vscode-focusBorder: #005fb8; --report-warning: #8a6a00; --report-info: #1a65b8;
  --report-button-background: #e5e5e5; --report-code-background: #f0f0f0; }
@media (prefers-color-scheme: dark) { :root {
  --vscode-editor-background: #1e1e1e; --vscode-foreground: #cccccc; --vscode-editor-foreground: #d4d4d4;
  --vscode-descriptionForeground: #9d9d9d; --vscode-errorForeground: #f48771; --vscode-editorWidget-background: #252526;
  --vscode-badge-background: #4d4d4d; --vscode-badge-foreground: #ffffff; --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c; --vscode-panel-border: #555555;
  --vscode-focusBorder: #007fd4; --report-warning: #cca700; --report-info: #75beff;
  --report-button-background: #3a3d41; --report-code-background: #2d2d2d; } }
`;

const PAGE_CSS = `
html, body { margin: 0; }
body { display: flex; flex-direction: column; min-height: 100vh; background: var(--vscode-editor-background);
  color: var(--vscode-foreground); font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header.report { padding: 12px 16px 4px; }
header.report h1 { font-size: 18px; margin: 0 0 4px; }
.counts span { margin-right: 14px; }
.error { color: var(--vscode-errorForeground); } .warning { color: var(--report-warning); } .info { color: var(--report-info); }
main { padding: 0 16px 16px; }
section.findings h2, section.graph h2 { font-size: 15px; margin: 16px 0 6px; }
.file { margin: 10px 0 4px; font-weight: 600; }
ul.findings { list-style: none; margin: 0; padding: 0; }
ul.findings > li { padding: 4px 0 4px 10px; border-left: 3px solid var(--vscode-panel-border); margin: 4px 0; }
ul.findings > li.error { border-left-color: var(--vscode-errorForeground); color: inherit; }
ul.findings > li.warning { border-left-color: var(--report-warning); color: inherit; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95em; padding: 0 3px; border-radius: 3px;
  background: var(--report-code-background); }
.where { font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--vscode-descriptionForeground); }
.rule { font-family: ui-monospace, Menlo, Consolas, monospace; }
details.related ul { margin: 2px 0; padding-left: 18px; color: var(--vscode-descriptionForeground); }
button { color: var(--vscode-foreground); background: var(--report-button-background); border: 1px solid var(--vscode-panel-border);
  padding: 1px 8px; cursor: pointer; font: inherit; }
section.graph { display: flex; flex-direction: column; height: 85vh; border: 1px solid var(--vscode-panel-border); }
section.graph h2 { margin: 8px 10px 0; }
#graph-details { padding: 2px 10px; color: var(--vscode-descriptionForeground); min-height: 1.4em; font-family: ui-monospace, Menlo, Consolas, monospace; }
`;

export function formatHtml(input: HtmlPageInput): string {
  const { findings, graph, cwd } = input;
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) (byFile.get(finding.span.file) ?? byFile.set(finding.span.file, []).get(finding.span.file)!).push(finding);

  const findingItems = [...byFile].map(([file, list]) => `
    <div class="file">${escapeHtml(displayPath(cwd, file))}</div>
    <ul class="findings">${list.map((f) => findingItem(f, cwd)).join('')}
    </ul>`).join('');

  const data = JSON.stringify({ graph });
  const cycles = graph.cycles.length;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="deadbolt ${escapeHtml(input.version)}">
<title>Deadbolt report: ${findings.length} finding${findings.length === 1 ? '' : 's'}, ${cycles} cycle${cycles === 1 ? '' : 's'}</title>
<style>${THEME_CSS}${PAGE_CSS}${input.css}</style>
</head>
<body>
<header class="report">
  <h1>Deadbolt report</h1>
  <div class="counts" id="counts">
    <span>${input.files} file${input.files === 1 ? '' : 's'} analysed</span>
    <span class="error">${count('error')} error${count('error') === 1 ? '' : 's'}</span>
    <span class="warning">${count('warning')} warning${count('warning') === 1 ? '' : 's'}</span>
    <span class="info">${count('info')} info</span>
    <span>${graph.nodes.length} lock${graph.nodes.length === 1 ? '' : 's'}, ${graph.edges.length} order edge${graph.edges.length === 1 ? '' : 's'}, ${cycles} cycle${cycles === 1 ? '' : 's'}</span>
  </div>
</header>
<main>
  <section class="findings" aria-label="Findings">
    <h2>Findings</h2>${findings.length === 0 ? '\n    <p>No findings.</p>' : findingItems}
  </section>
  <section class="graph" aria-label="Lock graph">
    <h2>Lock graph</h2>
    <div id="graph-details" aria-live="polite">Click a lock or an edge to see where it is taken.</div>
    <div id="graph-app" style="display:flex;flex-direction:column;flex:1;min-height:0"></div>
  </section>
</main>
<script id="deadbolt-graph" type="application/json">${scriptText(data)}</script>
<script>${scriptText(input.script)}</script>
</body>
</html>
`;
}

function findingItem(finding: Finding, cwd: string): string {
  const where = `${displayPath(cwd, finding.span.file)}:${finding.span.line}:${finding.span.column}`;
  const related = finding.related.length === 0 ? '' : `
        <details class="related"><summary>${finding.related.length} related location${finding.related.length === 1 ? '' : 's'}</summary><ul>${
          finding.related.map((r) => `<li><span class="where">${escapeHtml(`${displayPath(cwd, r.span.file)}:${r.span.line}:${r.span.column}`)}</span> ${messageHtml(r.message)}</li>`).join('')
        }</ul></details>`;
  // A lock-order finding can focus its cycle in the graph below: the script finds the cycle through this place.
  const focus = finding.rule !== 'lock-order' ? '' : ` <button class="show-cycle" data-uri="${escapeHtml(pathToFileURL(finding.span.file).href)}" data-line="${finding.span.line - 1}">Show in graph</button>`;
  return `
      <li class="${finding.severity}" data-rule="${finding.rule}"><span class="where">${escapeHtml(where)}</span> <span class="${finding.severity}">${finding.severity}</span> <span class="rule">${finding.rule}</span>: ${messageHtml(finding.message)}${focus}${related}</li>`;
}
