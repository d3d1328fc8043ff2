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

/** How the debug side reaches the panel the extension owns. */
export interface PanelAccess {
  show(preserveFocus: boolean): LockGraphPanel;
  current(): LockGraphPanel | undefined;
}

export class LiveGraphs implements vscode.Disposable {
  private readonly view = new LockView();
  private readonly diagnostics = new PotentialDeadlockDiagnostics();
  /** Potential deadlocks already shown, per session, so only a new one brings the panel up. */
  private readonly hazards = new Map<string, number>();
  /** The latest live graph, for a panel opened after it was sent (a session stopped at a breakpoint sends none). */
  private latest: { graph: LiveLockGraph; session: string; ended: boolean } | undefined;

  constructor(private readonly panel: PanelAccess) {}

  began(session: vscode.DebugSession): void {
    this.diagnostics.begin(session.id);
    this.hazards.set(session.id, 0);
  }

  show(graph: LiveLockGraph, session: vscode.DebugSession): void {
    const hazards = graph.potentialDeadlocks?.length ?? 0;
    const newHazard = hazards > (this.hazards.get(session.id) ?? 0);
    this.hazards.set(session.id, hazards);
    this.latest = { graph, session: session.id, ended: false };
    const panel = graph.deadlock || newHazard ? this.panel.show(true) : this.panel.current();
    panel?.showLive(graph, session.id);
    this.view.show(graph, session.id);
    this.diagnostics.show(graph, session.id);
  }

  ended(session: vscode.DebugSession): void {
    if (this.latest?.session === session.id) this.latest.ended = true;
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
