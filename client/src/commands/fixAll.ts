/**
 * `Deadbolt: Fix All`: asks the language server for the `source.fixAll.deadbolt` action of the active file
 * and applies it, so every Deadbolt finding with a safe fix is fixed in one step.
 */
import * as vscode from 'vscode';

export const fixAllKind = vscode.CodeActionKind.SourceFixAll.append('deadbolt');

export async function fixAll(log: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Deadbolt: open a TypeScript or JavaScript file to fix.');
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', document.uri, whole, fixAllKind.value,
  );
  const action = actions?.find((a): a is vscode.CodeAction => 'kind' in a && a.kind !== undefined && fixAllKind.contains(a.kind));
  if (!action) {
    void vscode.window.showInformationMessage('Deadbolt: nothing to fix in this file.');
    return;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    log.warn(`Fix All: VS Code refused the edit for ${document.uri.toString()}`);
    return;
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  log.info(`Fix All applied to ${document.uri.toString()}`);
}
