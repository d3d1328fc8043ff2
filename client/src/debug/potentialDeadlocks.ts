/**
 * Potential deadlocks a traced run observed, as Problems: one warning at each acquisition of the cycle, naming the
 * cycle and the thread, with both acquisition stacks of every order as related locations. They stay after the run
 * (as lockdep's reports do) until the next traced session starts.
 */
import * as vscode from 'vscode';
import type { ChainStep, LivePotentialDeadlock, LiveLockGraph, SourceLocation } from '@deadbolt/server/protocol';

/** The diagnostics' source: the analyzer's are "deadbolt"; these come from a run, not from reading the code. */
export const TRACE_DIAGNOSTIC_SOURCE = 'deadbolt (lock tracing)';

export class PotentialDeadlockDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('deadbolt-lock-tracing');
  /** The traced debug session whose reports are shown. */
  private session: string | undefined;

  /** A traced session starts: the previous run's reports go. */
  begin(session: string): void {
    this.session = session;
    this.collection.clear();
  }

  show(graph: LiveLockGraph, session: string): void {
    if (session !== this.session) return;
    const found = graph.potentialDeadlocks ?? [];
    const names = new Map(graph.locks.map((l) => [l.id, l.name]));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const cycle of found) {
      for (const [i, step] of cycle.steps.entries()) {
        const at = step.takenAt[0];
        if (at === undefined) continue;
        const diagnostic = new vscode.Diagnostic(
          range(at.location),
          `Potential deadlock (${cycle.description}): ${step.thread} takes ${names.get(step.taken) ?? step.taken} here while holding ` +
            `${names.get(step.held) ?? step.held}; ${otherOrders(cycle, i, names)}. Observed by lock tracing; this run need not have deadlocked.`,
          vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = TRACE_DIAGNOSTIC_SOURCE;
        diagnostic.code = 'lock-order';
        diagnostic.relatedInformation = cycle.steps.flatMap((s) => [
          ...related(s.takenAt, `${s.thread} takes ${names.get(s.taken) ?? s.taken}`),
          ...related(s.heldAt, `${s.thread} took ${names.get(s.held) ?? s.held}`),
        ]);
        const list = byFile.get(at.location.uri) ?? [];
        list.push(diagnostic);
        byFile.set(at.location.uri, list);
      }
    }
    this.collection.clear();
    for (const [uri, diagnostics] of byFile) this.collection.set(vscode.Uri.parse(uri), diagnostics);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function range(location: SourceLocation): vscode.Range {
  const { start } = location.range;
  // The trace knows where a call starts, not where it ends: the rest of the line stands for the call.
  return new vscode.Range(start.line, start.character, start.line, Number.MAX_SAFE_INTEGER);
}

/** "teller-1 takes savings while holding checking" for every other order of the cycle. */
function otherOrders(cycle: LivePotentialDeadlock, except: number, names: Map<string, string>): string {
  return cycle.steps
    .filter((_, i) => i !== except)
    .map((s) => `${s.thread} takes ${names.get(s.taken) ?? s.taken} while holding ${names.get(s.held) ?? s.held}`)
    .join('; ');
}

/** Every frame of a stack as related information, innermost first: "teller-2 takes savings: transfer". */
function related(stack: ChainStep[], what: string): vscode.DiagnosticRelatedInformation[] {
  return stack.map(
    (frame, i) =>
      new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.parse(frame.location.uri), range(frame.location)),
        `${i === 0 ? what : '  called from'}: ${frame.message}`,
      ),
  );
}
