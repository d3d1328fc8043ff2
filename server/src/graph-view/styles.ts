/**
 * The lock graph's stylesheet, shared by the editor's panel and the HTML report. Colours come from VS Code's
 * theme variables, with dark-theme fallbacks for the report, which opens outside the editor.
 */
export const graphCss = `
.graph-controls, .graph-status { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 4px 10px; }
.graph-controls .spacer { flex: 1; }
.graph-controls select, .graph-controls input {
  color: var(--vscode-input-foreground, #cccccc); background: var(--vscode-input-background, #313131);
  border: 1px solid var(--vscode-input-border, #3c3c3c); font: inherit; padding: 1px 4px;
}
.graph-status { color: var(--vscode-descriptionForeground, #9d9d9d); padding-top: 0; }
.graph-scroll { flex: 1; min-height: 240px; overflow: auto; position: relative; }
svg.lock-graph { display: block; font-family: var(--vscode-font-family, system-ui, sans-serif); }
svg.lock-graph .section-title { font-size: 13px; font-weight: 600; fill: var(--vscode-foreground, #cccccc); }
svg.lock-graph .section-title.cycle { fill: var(--vscode-errorForeground, #f48771); }
svg.lock-graph .group { fill: none; stroke: var(--vscode-panel-border, #555555); stroke-dasharray: 4 3; }
svg.lock-graph .group-label { font-size: 11px; fill: var(--vscode-descriptionForeground, #9d9d9d); }
svg.lock-graph .node { cursor: pointer; }
svg.lock-graph .node rect {
  fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-descriptionForeground, #9d9d9d); stroke-width: 1;
}
svg.lock-graph .node.thread rect { fill: var(--vscode-badge-background, #4d4d4d); }
svg.lock-graph .node.free rect { stroke-dasharray: 4 3; }
svg.lock-graph .node.exited { opacity: 0.55; }
svg.lock-graph .node.cycle rect { stroke: var(--vscode-errorForeground, #f48771); stroke-width: 2; }
svg.lock-graph .node.hazard:not(.cycle) rect { stroke: var(--vscode-editorWarning-foreground, #cca700); stroke-width: 2; }
svg.lock-graph .node.match rect { stroke: var(--vscode-focusBorder, #007fd4); stroke-width: 3; }
svg.lock-graph .node:focus-visible rect, svg.lock-graph .node:hover rect { stroke: var(--vscode-focusBorder, #007fd4); }
svg.lock-graph .node-label { fill: var(--vscode-editor-foreground, #cccccc); }
svg.lock-graph .edge { cursor: pointer; }
svg.lock-graph .edge-line { fill: none; stroke: var(--vscode-descriptionForeground, #9d9d9d); stroke-width: 1.5; }
svg.lock-graph .edge.waits .edge-line { stroke-dasharray: 5 4; }
svg.lock-graph .edge.hazard .edge-line { stroke: var(--vscode-editorWarning-foreground, #cca700); stroke-dasharray: 2 3; }
svg.lock-graph .edge.hazard .edge-label { fill: var(--vscode-editorWarning-foreground, #cca700); }
svg.lock-graph .edge.cycle .edge-line { stroke: var(--vscode-errorForeground, #f48771); stroke-width: 2.5; }
svg.lock-graph .edge-hit { fill: none; stroke: transparent; stroke-width: 10; }
svg.lock-graph .edge-label {
  font-size: 11px; fill: var(--vscode-descriptionForeground, #9d9d9d);
  paint-order: stroke; stroke: var(--vscode-editor-background, #1e1e1e); stroke-width: 4px; stroke-linejoin: round;
}
svg.lock-graph .edge.cycle .edge-label { fill: var(--vscode-errorForeground, #f48771); }
svg.lock-graph .arrow { fill: var(--vscode-descriptionForeground, #9d9d9d); }
svg.lock-graph .arrow.cycle { fill: var(--vscode-errorForeground, #f48771); }
`;
