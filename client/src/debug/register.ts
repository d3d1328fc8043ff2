/**
 * The `deadbolt` debug type's editor side: a configuration provider (defaults and F5 on the active file) and an
 * adapter factory that runs the bundled adapter as `node <extension>/dist/dap.js`.
 */
import * as vscode from 'vscode';
import { completeLaunchConfig, runnableFile } from './launchConfig.js';

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

export function registerDebugging(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(debugType, new ConfigurationProvider()),
    vscode.debug.registerDebugAdapterDescriptorFactory(debugType, new AdapterFactory(context.extensionUri)),
  );
}
