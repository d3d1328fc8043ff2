/**
 * Where a traced session's live graph goes, whichever debugger runs it (the standalone `deadbolt` adapter's
 * `deadbolt/lockGraph` events, or lock tracing inside a JavaScript debugger session): the lock-graph panel, the Locks
 * view and, for potential deadlocks, the Problems panel. A deadlock or a new potential deadlock opens the panel
 * without taking the focus from the debugger.
 */
import * as vscode from 'vscode';
import type { LiveLockGraph } from '@deadbolt/server/protocol';
import type { LockGraphPanel } from '../graphPanel/panel.js';
import { LockView } from './lockView.js';
import { PotentialDeadlockDiagnostics } from './potentialDeadlocks.js';
import { errorText } from '../errorText.js';

/** How the debug side reaches the panel the extension owns. */
export interface PanelAccess {
  /** Opens (or reveals) the panel beside the debugger, without taking the focus. */
  show(session: string): LockGraphPanel;
  current(): LockGraphPanel | undefined;
}

export class LiveGraphs implements vscode.Disposable {
  private readonly view = new LockView();
  private readonly diagnostics = new PotentialDeadlockDiagnostics();
  /** Potential deadlocks already shown, per session, so only a new one brings the panel up. */
  private readonly hazards = new Map<string, number>();
  /** The latest live graph, for a panel opened after it was sent (a session stopped at a breakpoint sends none). */
  private latest: { graph: LiveLockGraph; session: string; ended: boolean } | undefined;
  /**
   * The session whose current deadlock has opened the panel already: the graphs that follow while it stays stopped
   * only update the drawing, so a panel the user closed or moved stays closed or where it is.
   */
  private deadlockShown: string | undefined;

  constructor(
    private readonly panel: PanelAccess,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  began(session: vscode.DebugSession): void {
    this.diagnostics.begin(session.id);
    this.hazards.set(session.id, 0);
  }

  show(graph: LiveLockGraph, session: vscode.DebugSession): void {
    const hazards = graph.potentialDeadlocks?.length ?? 0;
    const newHazard = hazards > (this.hazards.get(session.id) ?? 0);
    this.hazards.set(session.id, hazards);
    this.latest = { graph, session: session.id, ended: false };
    const newDeadlock = graph.deadlock === true && this.deadlockShown !== session.id;
    if (graph.deadlock === true) this.deadlockShown = session.id;
    else if (this.deadlockShown === session.id) this.deadlockShown = undefined;
    if (newDeadlock) this.log.info(`Debug session '${session.name}' stopped on a deadlock: ${cycleText(graph)}; showing the lock graph`);
    else if (newHazard) this.log.info(`Debug session '${session.name}' found a new potential deadlock; showing the lock graph`);
    try {
      const panel = newDeadlock || newHazard ? this.panel.show(session.id) : this.panel.current();
      panel?.showLive(graph, session.id);
    } catch (error) {
      // The Locks view and Problems still get the graph; the log says why the panel did not.
      this.log.error(`The lock graph of debug session '${session.name}' could not be shown: ${errorText(error)}`);
    }
    this.view.show(graph, session.id);
    this.diagnostics.show(graph, session.id);
  }

  ended(session: vscode.DebugSession): void {
    if (this.latest?.session === session.id) this.latest.ended = true;
    if (this.deadlockShown === session.id) this.deadlockShown = undefined;
    this.panel.current()?.liveEnded(session.id);
    this.view.ended(session.id);
    this.hazards.delete(session.id);
  }

  /** Gives a panel that just opened the latest live graph. */
  replay(panel: LockGraphPanel): void {
    if (this.latest === undefined) return;
    panel.showLive(this.latest.graph, this.latest.session);
    if (this.latest.ended) panel.liveEnded(this.latest.session);
  }

  dispose(): void {
    this.view.dispose();
    this.diagnostics.dispose();
  }
}

/** The cycles of a live graph as its sender described them, for the log. */
function cycleText(graph: LiveLockGraph): string {
  return graph.cycles.map((cycle) => cycle.description).join('; ') || 'no cycle described';
}
