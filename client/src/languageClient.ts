/**
 * Starts the bundled Deadbolt language server (dist/server.js, `deadbolt-lsp --stdio`) through
 * vscode-languageclient. Settings are not pushed: the server pulls the "deadbolt" section per document with
 * workspace/configuration, and the client answers those requests from VS Code's settings.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ruleDocsBase } from './ruleDocs.js';

export const clientId = 'deadbolt';

/** The languages Deadbolt analyses, as files on disk and as unsaved editors. */
export const documentSelector = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    // Under the debugger the server waits for an inspector on a fixed port, as the VS Code samples do.
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    // Configuration changes are announced so the server drops its cached settings (it pulls fresh ones).
    synchronize: { configurationSection: 'deadbolt' },
    diagnosticCollectionName: 'deadbolt',
    // The panel can focus a cycle, so lock-order findings offer "Show in Lock Graph" running this command.
    // Rule links go through the extension's URI handler, which shows the page rendered (ruleDocs.ts).
    initializationOptions: { lockGraphCommand: 'deadbolt.showLockGraph', ruleDocsBase: ruleDocsBase(context) },
  };
  // The id 'deadbolt' makes vscode-languageclient honour the `deadbolt.trace.server` setting.
  return new LanguageClient(clientId, 'Deadbolt', serverOptions, clientOptions);
}
