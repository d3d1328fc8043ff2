/**
 * What the panel writes to the output channel about its drawings. A debug session redraws the live graph up to
 * ten times a second, mostly with the same content, so a line is written only when what was drawn changed.
 * Pure (no vscode import) so the rule is unit-tested.
 */
import type { RenderSummary } from '../../webview/messages.js';

export function describeRender(summary: RenderSummary): string {
  return `${summary.mode} graph, ${summary.nodes} nodes, ${summary.edges} edges, ${summary.cycles} cycles` +
    (summary.cycleNodes.length > 0 ? ` (${summary.cycleNodes.join(', ')})` : '');
}

export class RenderLog {
  private last: string | undefined;

  /** The line to log for this drawing, or undefined when it repeats the drawing logged last. */
  line(summary: RenderSummary): string | undefined {
    const text = `Lock graph drawn: ${describeRender(summary)}`;
    if (text === this.last) return undefined;
    this.last = text;
    return text;
  }
}
