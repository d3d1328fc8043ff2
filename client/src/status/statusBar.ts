/**
 * The Deadbolt status bar item: follows the language client's state and counts Deadbolt's diagnostics
 * across the workspace, so the analysis state is visible without opening the Problems panel.
 */
import * as vscode from 'vscode';
import { statusView, type ServerState } from './statusModel.js';

export const diagnosticSource = 'deadbolt';

export class DeadboltStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('deadbolt.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;
  private server: ServerState = 'starting';
  private analyzing = false;
  /** Whether the running server has finished an analysis since it started. */
  private analysed = false;

  constructor() {
    this.item.name = 'Deadbolt';
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => this.update());
    this.update();
    this.item.show();
  }

  setServerState(state: ServerState): void {
    this.server = state;
    if (state !== 'running') {
      this.analyzing = false;
      this.analysed = false;
    }
    this.update();
  }

  setAnalyzing(analyzing: boolean): void {
    if (this.analyzing && !analyzing) this.analysed = true;
    this.analyzing = analyzing;
    this.update();
  }

  private update(): void {
    let errors = 0, warnings = 0, others = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const d of diagnostics) {
        if (d.source !== diagnosticSource) continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
        else others++;
      }
    }
    const view = statusView({ server: this.server, errors, warnings, others, analyzing: this.analyzing, analysed: this.analysed });
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.alert ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
