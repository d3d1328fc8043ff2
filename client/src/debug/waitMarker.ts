/**
 * Shows the line a stopped thread waits on (or the acquisition that closed a lock-order cycle): opens it, selects it
 * and writes a note after it ("waits for ledger, held by auditor"), so a stop made by pausing a thread blocked inside
 * the runtime still points at the user's own line. One mark at a time; it goes when the next stop marks another.
 */
import * as vscode from 'vscode';
import type { SourceLocation } from '@deadbolt/server/protocol';

export class WaitMarker implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
    after: { color: new vscode.ThemeColor('editorWarning.foreground'), margin: '0 0 0 2em' },
  });

  async show(location: SourceLocation, note: string): Promise<void> {
    const { line, character } = location.range.start;
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
      selection: new vscode.Range(line, character, line, character),
      preserveFocus: false,
    });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    for (const visible of vscode.window.visibleTextEditors) visible.setDecorations(this.decoration, []);
    editor.setDecorations(this.decoration, [{ range: new vscode.Range(line, 0, line, 0), renderOptions: { after: { contentText: `Deadbolt: ${note}` } } }]);
  }

  dispose(): void {
    this.decoration.dispose();
  }
}
