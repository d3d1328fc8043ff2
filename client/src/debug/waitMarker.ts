/**
 * Shows the line a stopped thread waits on (or the acquisition that closed a lock-order cycle): opens it, selects it
 * and writes a note after it ("waits for ledger, held by auditor"), so a stop made by pausing a thread blocked inside
 * the runtime still points at the user's own line, also when VS Code then opens the paused frame in the runtime. One
 * mark at a time; it goes when the next stop marks another.
 */
import * as vscode from 'vscode';
import type { SourceLocation } from '@deadbolt/server/protocol';
import { errorText } from '../errorText.js';

/** How many times the waiting line is opened before the stop reports that it could not be shown, and how far apart. */
const SHOW_ATTEMPTS = 3;
const SHOW_RETRY_MS = 300;

export class WaitMarker implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.stackFrameHighlightBackground'),
    after: { color: new vscode.ThemeColor('editorWarning.foreground'), margin: '0 0 0 2em' },
  });

  private last: { location: SourceLocation; note: string } | undefined;
  private pendingAgain: vscode.Disposable | undefined;
  /** While `showAgainOver`'s time runs: how many more times a runtime file coming to the front brings the mark back. */
  private again: { left: number } | undefined;
  /** Decorations belong to an editor, not a file: every editor that shows the marked file (again) gets the mark. */
  private readonly visible = vscode.window.onDidChangeVisibleTextEditors(() => this.apply());

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async show(location: SourceLocation, note: string): Promise<void> {
    this.last = { location, note };
    const { line, character } = location.range.start;
    this.log.info(`Lock tracing: showing ${vscode.Uri.parse(location.uri).fsPath}:${line + 1} (${note})`);
    const open = () => vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
      selection: new vscode.Range(line, character, line, character),
      preserveFocus: false,
    });
    let editor: vscode.TextEditor;
    for (let attempt = 1; ; attempt++) {
      try {
        editor = await open();
        break;
      } catch (error) {
        // VS Code refuses when another editor opens meanwhile: the paused frame it opens on its own, for one.
        if (attempt >= SHOW_ATTEMPTS) throw error;
        this.log.info(`Lock tracing: the waiting line was not shown (${errorText(error)}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, SHOW_RETRY_MS));
      }
    }
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.apply();
  }

  private apply(): void {
    const mark = this.last;
    for (const editor of vscode.window.visibleTextEditors) {
      if (mark === undefined || editor.document.uri.toString() !== vscode.Uri.parse(mark.location.uri).toString()) {
        editor.setDecorations(this.decoration, []);
        continue;
      }
      const line = mark.location.range.start.line;
      editor.setDecorations(this.decoration, [{ range: new vscode.Range(line, 0, line, 0), renderOptions: { after: { contentText: `Deadbolt: ${mark.note}` } } }]);
    }
  }

  /**
   * Shows the mark again each time within `ms`, at most `times` times, that a file under `root` (the runtime) comes to
   * the front: VS Code opens a paused thread's top frame on its own, after the pause, once per paused session, and
   * that frame is the runtime's wait.
   */
  showAgainOver(root: string, ms: number, times: number): void {
    this.pendingAgain?.dispose();
    const again = { left: times };
    this.again = again;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let listener: vscode.Disposable | undefined;
    const done = (): void => {
      clearTimeout(timer);
      listener?.dispose();
      if (this.again === again) this.again = undefined;
    };
    listener = vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor === undefined || !editor.document.uri.fsPath.startsWith(root) || this.last === undefined) return;
      if (--again.left <= 0) done();
      this.log.info(`Lock tracing: VS Code showed ${editor.document.uri.fsPath}; the waiting line is shown again`);
      this.show(this.last.location, this.last.note).catch((error: unknown) => {
        this.log.error(`Lock tracing: the waiting line could not be shown: ${errorText(error)}`);
      });
    });
    timer = setTimeout(done, ms);
    this.pendingAgain = { dispose: done };
  }

  /**
   * One more paused session's frame is on its way (a thread paused after the others): while `showAgainOver`'s time
   * runs, the mark comes back once more.
   */
  expectOneMoreFrame(): void {
    if (this.again !== undefined) this.again.left++;
  }

  dispose(): void {
    this.pendingAgain?.dispose();
    this.visible.dispose();
    this.decoration.dispose();
  }
}
