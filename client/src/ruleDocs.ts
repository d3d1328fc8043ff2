/**
 * Rule pages, rendered. A diagnostic's code links to `<app scheme>://<extension id>/rules/<rule-id>.md`; VS Code
 * hands such a link to this extension's URI handler, which opens the page shipped in the VSIX (dist/docs/rules) in
 * the Markdown preview. A `file:` link would open the raw Markdown in a text editor instead.
 */
import * as vscode from 'vscode';
import { errorText } from './errorText.js';

/** The base of the rule links, passed to the language server as `ruleDocsBase`. */
export function ruleDocsBase(context: vscode.ExtensionContext): string {
  return `${vscode.env.uriScheme}://${context.extension.id}/rules/`;
}

/** The rule id a link names (`/rules/lock-order.md`), if it is one of ours. */
export function ruleOfPath(path: string): string | undefined {
  return /^\/rules\/([a-z][a-z-]*)\.md$/.exec(path)?.[1];
}

export function registerRuleDocs(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.window.registerUriHandler({
    async handleUri(uri: vscode.Uri) {
      const rule = ruleOfPath(uri.path);
      if (rule === undefined) {
        log.warn(`No Deadbolt page for ${uri.toString()}`);
        return;
      }
      const page = vscode.Uri.joinPath(context.extensionUri, 'dist', 'docs', 'rules', `${rule}.md`);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', page);
      } catch (error) {
        // Without the built-in Markdown extension (disabled, or a minimal editor build) the page opens as text.
        log.warn(`The Markdown preview is not available (${errorText(error)}); opening ${rule}.md as text`);
        await vscode.window.showTextDocument(page);
      }
    },
  });
}
