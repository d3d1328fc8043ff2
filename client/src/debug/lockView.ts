/**
 * The "Locks" view in Run and Debug: for the traced session in front, each thread (and async task) with the lock it
 * waits for and who holds that, and the locks it holds, each opening the line that took or awaits it; then the
 * potential deadlocks found so far. It reads the same live graph as the panel, from either kind of traced session.
 */
import * as vscode from 'vscode';
import type { LiveLockGraph } from '@deadbolt/server/protocol';
import { type Row, rowsOf } from './lockRows.js';

/** The context key that shows the view while a traced session has reported. */
export const LOCK_VIEW_CONTEXT = 'deadbolt.lockTracing';

export class LockView implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private rows: Row[] = [];
  private session: string | undefined;
  private readonly view: vscode.TreeView<Row>;

  constructor() {
    this.view = vscode.window.createTreeView('deadbolt.locks', { treeDataProvider: this, showCollapseAll: true });
  }

  show(graph: LiveLockGraph, session: string): void {
    this.session = session;
    this.rows = rowsOf(graph);
    this.view.message = graph.deadlock ? `Deadlock: ${graph.cycles.map((c) => c.description).join(' | ')}` : undefined;
    void vscode.commands.executeCommand('setContext', LOCK_VIEW_CONTEXT, true);
    this.changed.fire(undefined);
  }

  ended(session: string): void {
    if (session !== this.session) return;
    this.view.message = 'The traced session ended; this is the last state it reported.';
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, row.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    if (row.location !== undefined) {
      const { start } = row.location.range;
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [vscode.Uri.parse(row.location.uri), { selection: new vscode.Range(start.line, start.character, start.line, start.character) }],
      };
    }
    return item;
  }

  getChildren(row?: Row): Row[] {
    return row === undefined ? this.rows : (row.children ?? []);
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
