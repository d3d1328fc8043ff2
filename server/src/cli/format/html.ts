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

/** Text inside a <script> element ends at the first `</script`; `<\/` means the same to JavaScript and JSON. */
const scriptText = (text: string): string => text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const PAGE_CSS = `
:root { color-scheme: dark; }
html, body { margin: 0; }
body { display: flex; flex-direction: column; min-height: 100vh; background: #1e1e1e; color: #cccccc;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header.report { padding: 12px 16px 4px; }
header.report h1 { font-size: 18px; margin: 0 0 4px; }
.counts span { margin-right: 14px; }
.error { color: #f48771; } .warning { color: #cca700; } .info { color: #75beff; }
main { padding: 0 16px 16px; }
section.findings h2, section.graph h2 { font-size: 15px; margin: 16px 0 6px; }
.file { margin: 10px 0 4px; font-weight: 600; }
ul.findings { list-style: none; margin: 0; padding: 0; }
ul.findings > li { padding: 4px 0 4px 10px; border-left: 3px solid #444; margin: 4px 0; }
ul.findings > li.error { border-left-color: #f48771; color: inherit; }
ul.findings > li.warning { border-left-color: #cca700; color: inherit; }
.where { font-family: ui-monospace, Menlo, Consolas, monospace; color: #9d9d9d; }
.rule { font-family: ui-monospace, Menlo, Consolas, monospace; }
details.related ul { margin: 2px 0; padding-left: 18px; color: #9d9d9d; }
button { color: #cccccc; background: #3a3d41; border: 1px solid #555; padding: 1px 8px; cursor: pointer; font: inherit; }
section.graph { display: flex; flex-direction: column; height: 85vh; border: 1px solid #333; }
section.graph h2 { margin: 8px 10px 0; }
#graph-details { padding: 2px 10px; color: #9d9d9d; min-height: 1.4em; font-family: ui-monospace, Menlo, Consolas, monospace; }
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
<style>${PAGE_CSS}${input.css}</style>
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
          finding.related.map((r) => `<li><span class="where">${escapeHtml(`${displayPath(cwd, r.span.file)}:${r.span.line}:${r.span.column}`)}</span> ${escapeHtml(r.message)}</li>`).join('')
        }</ul></details>`;
  // A lock-order finding can focus its cycle in the graph below: the script finds the cycle through this place.
  const focus = finding.rule !== 'lock-order' ? '' : ` <button class="show-cycle" data-uri="${escapeHtml(pathToFileURL(finding.span.file).href)}" data-line="${finding.span.line - 1}">Show in graph</button>`;
  return `
      <li class="${finding.severity}" data-rule="${finding.rule}"><span class="where">${escapeHtml(where)}</span> <span class="${finding.severity}">${finding.severity}</span> <span class="rule">${finding.rule}</span>: ${escapeHtml(finding.message)}${focus}${related}</li>`;
}
