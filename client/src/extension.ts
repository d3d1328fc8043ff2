/**
 * The Deadbolt extension's entry: wires the language client, the status bar, the commands, the lock-graph
 * panel and debugging (the `deadbolt` debug type, and lock tracing in the JavaScript debugger) together. Each piece
 * lives in its own module; this file only connects them.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  analysisStateNotification,
  lockGraphRequest,
  type AnalysisStateParams,
  type LockGraphParams,
  type StaticLockGraph,
} from '@deadbolt/server/protocol';
import { fixAll } from './commands/fixAll.js';
import type { LiveGraphs } from './debug/liveGraphs.js';
import { registerDebugging } from './debug/register.js';
import { focusArgument, LockGraphPanel, type StaticGraphSource } from './graphPanel/panel.js';
import { createLanguageClient } from './languageClient.js';
import { registerRuleDocs } from './ruleDocs.js';
import { DeadboltStatusBar } from './status/statusBar.js';
import { errorText } from './errorText.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Deadbolt', { log: true });
  const status = new DeadboltStatusBar();
  context.subscriptions.push(output, status);

  const source: StaticGraphSource = {
    async fetchStaticGraph(): Promise<StaticLockGraph> {
      if (!client || !client.isRunning()) throw new Error('the Deadbolt language server is not running');
      const params: LockGraphParams = { uris: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()) };
      return client.sendRequest<StaticLockGraph>(lockGraphRequest, params);
    },
  };
  let liveGraphs: LiveGraphs | undefined;
  // A panel that opens (from the command, a debug session or a window reload) gets the latest live graph at once:
  // a session paused at a breakpoint sends no new one.
  const replayed = (open: () => LockGraphPanel): LockGraphPanel => {
    const opened = LockGraphPanel.instance === undefined;
    const panel = open();
    if (opened) liveGraphs?.replay(panel);
    return panel;
  };
  const showPanel = (): LockGraphPanel => replayed(() => LockGraphPanel.show(context.extensionUri, source, output));
  const showPanelForDebugSession = (session: string): LockGraphPanel =>
    replayed(() => LockGraphPanel.showForDebugSession(context.extensionUri, source, output, session));

  const startClient = async (): Promise<void> => {
    if (!vscode.workspace.getConfiguration('deadbolt').get<boolean>('enable', true)) {
      status.setServerState('disabled');
      output.info('Deadbolt is disabled by deadbolt.enable');
      return;
    }
    client = createLanguageClient(context, output);
    client.onDidChangeState(({ newState }) => {
      status.setServerState(newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped');
    });
    client.onNotification(analysisStateNotification, (params: AnalysisStateParams) => status.setAnalyzing(params.state === 'analyzing'));
    status.setServerState('starting');
    try {
      await client.start();
      void LockGraphPanel.instance?.refresh();
    } catch (error) {
      status.setServerState('stopped');
      output.error(`The Deadbolt language server failed to start: ${errorText(error)}`);
    }
  };
  const stopClient = async (): Promise<void> => {
    const running = client;
    client = undefined;
    if (running) await running.dispose().catch((error: unknown) => output.warn(`Stopping the server: ${String(error)}`));
  };

  context.subscriptions.push(
    // With an argument (the "Show in Lock Graph" code action of a lock-order diagnostic), the panel focuses that cycle.
    vscode.commands.registerCommand('deadbolt.showLockGraph', (place?: unknown) => {
      const panel = showPanel();
      const focus = focusArgument(place);
      if (focus) panel.focusCycle(focus);
      void panel.refresh();
    }),
    vscode.commands.registerCommand('deadbolt.restartServer', async () => {
      output.info('Restarting the Deadbolt language server');
      await stopClient();
      await startClient();
    }),
    vscode.commands.registerCommand('deadbolt.fixAll', () => fixAll(output)),
    vscode.commands.registerCommand('deadbolt.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // Turning the extension on or off needs a start or stop; other settings are pulled by the server itself.
      if (event.affectsConfiguration('deadbolt.enable')) {
        await stopClient();
        await startClient();
      }
    }),
    // The static graph follows the code: re-ask the server when findings change or a file is saved.
    vscode.languages.onDidChangeDiagnostics(debounce(() => void LockGraphPanel.instance?.refresh(), 400)),
    vscode.workspace.onDidSaveTextDocument(() => void LockGraphPanel.instance?.refresh()),
    // After a window reload VS Code restores the panel through this serializer instead of dropping it.
    vscode.window.registerWebviewPanelSerializer(LockGraphPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        replayed(() => LockGraphPanel.revive(panel, context.extensionUri, source, output));
      },
    }),
    registerRuleDocs(context, output),
    { dispose: () => void stopClient() },
  );
  // Live graphs of debug sessions (the deadbolt adapter's, or lock tracing in a JavaScript debugger session) go to the panel.
  liveGraphs = registerDebugging(context, { show: showPanelForDebugSession, current: () => LockGraphPanel.instance }, output);
  await startClient();
}

export async function deactivate(): Promise<void> {
  await client?.dispose();
  client = undefined;
}

function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
