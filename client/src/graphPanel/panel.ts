/**
 * The lock-graph webview panel on the extension side: creates the page (or takes over the one VS Code restores
 * after a reload), feeds it the static graph from the language server and live graphs from Deadbolt debug sessions,
 * and opens acquisition sites the user clicks.
 */
import * as vscode from 'vscode';
import type { LiveLockGraph, SourceLocation, StaticLockGraph } from '@deadbolt/server/protocol';
import type { FromWebview, ToWebview } from '../../webview/messages.js';
import { panelHtml } from './html.js';
import { deadlockColumn } from './placement.js';
import { RenderLog } from './renderLog.js';
import { errorText } from '../errorText.js';

/** Where the panel gets the static graph: the language client in the extension, a stub in tests. */
export interface StaticGraphSource {
  fetchStaticGraph(): Promise<StaticLockGraph>;
}

export class LockGraphPanel implements vscode.Disposable {
  static readonly viewType = 'deadbolt.lockGraph';
  private static current: LockGraphPanel | undefined;

  private ready = false;
  private stale = true;
  private live: { graph: LiveLockGraph; session: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renders = new RenderLog();
  private fetching: Promise<void> | undefined;
  /** While a debug session is stopped on a deadlock, the panel keeps out of the stopped editor's group. */
  private deadlockSession: string | undefined;
  /** A cycle to focus, kept until the page is ready to receive it. */
  private focus: SourceLocation | undefined;
  /**
   * The file last edited. Remembered rather than read when needed: once the panel has focus, VS Code reports no
   * active text editor, yet the "one file" view should start from the file the user was in.
   */
  private lastFile: string | undefined = vscode.window.activeTextEditor?.document.uri.toString();

  /** Shows the one panel, creating it on first use. */
  static show(extensionUri: vscode.Uri, source: StaticGraphSource, log: vscode.LogOutputChannel): LockGraphPanel {
    if (LockGraphPanel.current) {
      LockGraphPanel.current.panel.reveal();
      return LockGraphPanel.current;
    }
    // Beside the code it describes; with no editor open, in the second column.
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Two;
    return LockGraphPanel.create(extensionUri, source, log, { viewColumn, preserveFocus: false });
  }

  /**
   * Shows the panel for a debug session (stopped on a deadlock, or with a new potential deadlock): in an editor group
   * other than the one the debugger opens the stopped frame in, reusing an existing group before adding one, and
   * without taking focus.
   */
  static showForDebugSession(extensionUri: vscode.Uri, source: StaticGraphSource, log: vscode.LogOutputChannel, session: string): LockGraphPanel {
    const current = LockGraphPanel.current;
    // A panel in view stays where it is, and one still loading is being placed by VS Code: revealing either in another
    // group lost it (a potential deadlock opened the panel and the deadlock, 15 ms to 1.8 s later, moved it: no panel
    // at all). If the stopped editor then covers it, keepOutOfStoppedGroup moves it.
    if (current !== undefined && (!current.ready || current.panel.visible)) {
      current.deadlockSession = session;
      return current;
    }
    const column = deadlockColumn({
      columns: vscode.window.tabGroups.all.map((g) => g.viewColumn),
      stopped: vscode.window.tabGroups.activeTabGroup.viewColumn,
      panel: current?.panel.viewColumn,
    });
    const viewColumn = column === 'beside' ? vscode.ViewColumn.Beside : column;
    if (current !== undefined) log.info(`Lock graph: shown again for the deadlock, in column ${column}`);
    current?.panel.reveal(viewColumn, true);
    const shown = current ?? LockGraphPanel.create(extensionUri, source, log, { viewColumn, preserveFocus: true });
    shown.deadlockSession = session;
    return shown;
  }

  /** Takes over a panel VS Code restored after a window reload (the serializer registered in extension.ts). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, source: StaticGraphSource, log: vscode.LogOutputChannel): LockGraphPanel {
    LockGraphPanel.current?.dispose();
    panel.webview.options = LockGraphPanel.options(extensionUri);
    LockGraphPanel.current = new LockGraphPanel(panel, extensionUri, source, log);
    return LockGraphPanel.current;
  }

  private static create(
    extensionUri: vscode.Uri,
    source: StaticGraphSource,
    log: vscode.LogOutputChannel,
    show: { viewColumn: vscode.ViewColumn; preserveFocus: boolean },
  ): LockGraphPanel {
    const panel = vscode.window.createWebviewPanel(LockGraphPanel.viewType, 'Deadbolt Lock Graph', show, {
      ...LockGraphPanel.options(extensionUri),
      retainContextWhenHidden: true,
    });
    LockGraphPanel.current = new LockGraphPanel(panel, extensionUri, source, log);
    return LockGraphPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return {
      enableScripts: true,
      // The page may load only the bundled script and stylesheet, nothing else from disk.
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'panel')],
    };
  }

  /** The open panel, if any; live events and refresh triggers go to it. */
  static get instance(): LockGraphPanel | undefined {
    return LockGraphPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: StaticGraphSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const webview = panel.webview;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'panel');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: FromWebview) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.stale) void this.refresh();
        if (!panel.visible) this.keepOutOfStoppedGroup();
      }),
      panel.onDidDispose(() => this.dispose()),
      // The "one file" view starts from the file being edited.
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor) return;
        this.lastFile = editor.document.uri.toString();
        if (this.ready) this.post({ type: 'activeFile', uri: this.lastFile });
      }),
    );
  }

  /**
   * Focuses the cycle a lock-order diagnostic at `place` is about (the "Show in Lock Graph" code action); the page
   * finds the cycle in its graph, so this works whether or not the graph has arrived yet.
   */
  focusCycle(place: SourceLocation): void {
    this.focus = place;
    if (this.ready) {
      this.post({ type: 'focusCycle', place });
      this.focus = undefined;
    }
  }

  /** Asks the server for the graph again; coalesces calls that arrive while a request is in flight. */
  async refresh(): Promise<void> {
    this.stale = true;
    if (!this.ready || !this.panel.visible) return;
    if (this.fetching) return this.fetching;
    this.fetching = (async () => {
      try {
        this.stale = false;
        const graph = await this.source.fetchStaticGraph();
        this.post({ type: 'static', graph });
      } catch (error) {
        const message = errorText(error);
        this.log.warn(`Lock graph request failed: ${message}`);
        this.post({ type: 'error', message: `The lock graph is not available: ${message}` });
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  showLive(graph: LiveLockGraph, session: string): void {
    this.live = { graph, session };
    if (!graph.deadlock && this.deadlockSession === session) this.deadlockSession = undefined;
    if (this.ready) this.post({ type: 'live', graph, session });
  }

  liveEnded(session: string): void {
    if (this.deadlockSession === session) this.deadlockSession = undefined;
    if (this.live?.session === session && this.ready) this.post({ type: 'liveEnded', session });
  }

  /**
   * The debugger opens the stopped frame's file after the deadlock event has shown the panel; when it lands in the
   * panel's group (that group was active), the panel moves to another group rather than stay hidden behind it.
   */
  private keepOutOfStoppedGroup(): void {
    if (this.deadlockSession === undefined || this.panel.viewColumn === undefined) return;
    const group = vscode.window.tabGroups.all.find((g) => g.viewColumn === this.panel.viewColumn);
    if (!(group?.activeTab?.input instanceof vscode.TabInputText)) return;
    const column = deadlockColumn({ columns: vscode.window.tabGroups.all.map((g) => g.viewColumn), stopped: group.viewColumn });
    // Once: a tab the user picks in that group later is their choice, not the debugger's.
    this.deadlockSession = undefined;
    this.log.info(`Lock graph: moved out of the stopped editor's group, to column ${column}`);
    this.panel.reveal(column === 'beside' ? vscode.ViewColumn.Beside : column, true);
  }

  private onMessage(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.live) this.post({ type: 'live', ...this.live });
        if (this.lastFile) this.post({ type: 'activeFile', uri: this.lastFile });
        if (this.focus) {
          this.post({ type: 'focusCycle', place: this.focus });
          this.focus = undefined;
        }
        void this.refresh();
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'open':
        void openLocation(message.location);
        break;
      case 'rendered': {
        const line = this.renders.line(message);
        if (line !== undefined) this.log.info(line);
        break;
      }
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (LockGraphPanel.current === this) LockGraphPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function openLocation(location: SourceLocation): Promise<void> {
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: range, viewColumn: vscode.ViewColumn.One });
}

/** The argument of `deadbolt.showLockGraph` when a code action runs it: the place of a lock-order diagnostic. */
export function focusArgument(value: unknown): SourceLocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<SourceLocation>;
  const start = candidate.range?.start;
  return typeof candidate.uri === 'string' && typeof start?.line === 'number' ? (candidate as SourceLocation) : undefined;
}
