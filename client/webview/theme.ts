/**
 * The cytoscape stylesheet of the lock graph, built from VS Code's theme CSS variables. Cytoscape draws on a
 * canvas and cannot read `var(--...)`, so the values are resolved here and the style is rebuilt on theme change.
 */
import type { StylesheetJson } from 'cytoscape';

/**
 * Reads a theme colour as rgb()/rgba(). Themes write colours as 8-digit hex (#rrggbbaa), which cytoscape does not
 * parse, so the browser normalises the value through a probe element; a missing variable gets the fallback.
 */
function color(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const normalised = value ? normalise(value) : '';
  // Some themes make a colour fully transparent (e.g. secondary buttons); a node needs a visible fill.
  return normalised && !/^rgba\(.*,\s*0\)$/.test(normalised) ? normalised : fallback;
}

function normalise(value: string): string {
  const probe = document.createElement('span');
  probe.style.color = value;
  probe.hidden = true;
  document.body.appendChild(probe);
  const result = probe.style.color ? getComputedStyle(probe).color : '';
  probe.remove();
  return result;
}

/** The editor font family; a plain string that needs no normalising. */
function font(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
}

export function graphStyle(): StylesheetJson {
  const fg = color('--vscode-editor-foreground', '#cccccc');
  const bg = color('--vscode-editor-background', '#1e1e1e');
  const nodeBg = color('--vscode-editorWidget-background', '#252526');
  const border = color('--vscode-focusBorder', '#007fd4');
  const error = color('--vscode-errorForeground', '#f48771');
  const muted = color('--vscode-descriptionForeground', '#9d9d9d');
  const threadBg = color('--vscode-badge-background', '#4d4d4d');
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: fg,
        'font-family': font(),
        'font-size': 12,
        'text-valign': 'center',
        'text-halign': 'center',
        'background-color': nodeBg,
        'border-width': 1,
        'border-color': muted,
        width: 'label',
        height: 28,
        padding: '10px',
        shape: 'round-rectangle',
      },
    },
    { selector: 'node.thread', style: { shape: 'ellipse', 'background-color': threadBg } },
    { selector: 'node.free', style: { 'border-style': 'dashed' } },
    { selector: 'node.exited', style: { opacity: 0.5 } },
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        color: muted,
        'font-family': font(),
        'font-size': 10,
        'text-background-color': bg,
        'text-background-opacity': 1,
        'text-background-padding': '2px',
        'line-color': muted,
        'target-arrow-color': muted,
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        width: 1.5,
      },
    },
    { selector: 'edge.waits', style: { 'line-style': 'dashed' } },
    { selector: '.cycle', style: { 'border-color': error, 'border-width': 2, color: fg } },
    { selector: 'edge.cycle', style: { 'line-color': error, 'target-arrow-color': error, width: 2.5, color: error } },
    { selector: ':selected', style: { 'border-color': border, 'border-width': 3, 'line-color': border, 'target-arrow-color': border } },
  ];
}
