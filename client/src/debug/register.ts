/**
 * Debugging with Deadbolt, both ways: the standalone `deadbolt` debug type (a configuration provider for its
 * defaults, and an adapter factory that runs the bundled adapter as `node <extension>/dist/dap.js`), and lock tracing
 * inside VS Code's JavaScript debugger (lockTracing.ts). Either kind of session's live graph goes to LiveGraphs.
 */
import * as vscode from 'vscode';
import { lockGraphEvent, type LiveLockGraph } from '@deadbolt/server/protocol';
import { completeLaunchConfig, runnableFile } from './launchConfig.js';
import { LiveGraphs, type PanelAccess } from './liveGraphs.js';
import { LockTracing } from './lockTracing.js';

export const debugType = 'deadbolt';

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const editor = vscode.window.activeTextEditor;
    const activeFile = editor && runnableFile.test(editor.document.fileName) ? editor.document.fileName : undefined;
    const folderPath = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const result = completeLaunchConfig(config, {
      ...(activeFile ? { activeFile } : {}),
      ...(folderPath ? { folder: folderPath } : {}),
    });
    if ('error' in result) {
      void vscode.window.showErrorMessage(result.error);
      // Returning undefined cancels the launch; the message above tells the user why.
      return undefined;
    }
    return result.config;
  }
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    const adapter = vscode.Uri.joinPath(this.extensionUri, 'dist', 'dap.js').fsPath;
    // The adapter compiles TypeScript programs with esbuild-wasm, which ships beside it (see build.mjs): no native binary.
    return new vscode.DebugAdapterExecutable('node', [adapter]);
  }
}

/** Returns where live graphs go, so a panel opened later can be given the latest one. */
export function registerDebugging(context: vscode.ExtensionContext, panel: PanelAccess, log: vscode.LogOutputChannel): LiveGraphs {
  const graphs = new LiveGraphs(panel, log);
  context.subscriptions.push(
    graphs,
    new LockTracing(graphs, log),
    vscode.debug.registerDebugConfigurationProvider(debugType, new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory(debugType, new AdapterFactory(context.extensionUri)),
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type === debugType) graphs.began(session);
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
      if (event.session.type === debugType && event.event === lockGraphEvent) graphs.show(event.body as LiveLockGraph, event.session);
    }),
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type === debugType) graphs.ended(session);
    }),
  );
  return graphs;
}
