/**
 * The lock-graph webview panel on the extension side: creates the page, feeds it the static graph from the
 * language server and live graphs from Deadbolt debug sessions, and opens acquisition sites the user clicks.
 */
import * as vscode from 'vscode';
import type { LiveLockGraph, SourceLocation, StaticLockGraph } from '@deadbolt/server/protocol';
import type { FromWebview, RenderSummary, ToWebview } from '../../webview/messages.js';
import { panelHtml } from './html.js';

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
  private fetching: Promise<void> | undefined;
  /** A cycle to focus, kept until the page is ready to receive it. */
  private focus: SourceLocation | undefined;
  /**
   * The file last edited. Remembered rather than read when needed: once the panel has focus, VS Code reports no
   * active text editor, yet the "one file" view should start from the file the user was in.
   */
  private lastFile: string | undefined = vscode.window.activeTextEditor?.document.uri.toString();

  /** Shows the one panel, creating it on first use. */
  static show(extensionUri: vscode.Uri, source: StaticGraphSource, log: vscode.LogOutputChannel, preserveFocus = false): LockGraphPanel {
    if (LockGraphPanel.current) {
      LockGraphPanel.current.panel.reveal(undefined, preserveFocus);
      return LockGraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      LockGraphPanel.viewType,
      'Deadbolt Lock Graph',
      // Beside the code it describes; with no editor open (a deadlock can open it first) in the second column,
      // so the debugger's stopped location still gets the first.
      { viewColumn: vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Two, preserveFocus },
      {
        enableScripts: true,
        // The page may load only the bundled script and stylesheet, nothing else from disk.
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'panel')],
        retainContextWhenHidden: true,
      },
    );
    LockGraphPanel.current = new LockGraphPanel(panel, extensionUri, source, log);
    return LockGraphPanel.current;
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
        const message = error instanceof Error ? error.message : String(error);
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
    if (this.ready) this.post({ type: 'live', graph, session });
  }

  liveEnded(session: string): void {
    if (this.live?.session === session && this.ready) this.post({ type: 'liveEnded', session });
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
      case 'rendered':
        this.log.info(`Lock graph drawn: ${describeRender(message)}`);
        break;
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

export function describeRender(summary: RenderSummary): string {
  return `${summary.mode} graph, ${summary.nodes} nodes, ${summary.edges} edges, ${summary.cycles} cycles` +
    (summary.cycleNodes.length > 0 ? ` (${summary.cycleNodes.join(', ')})` : '');
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
