/**
 * Potential deadlocks a traced run observed, as Problems: one warning at each place that takes a lock of the cycle,
 * naming the cycle and the threads, with both acquisition stacks of every order as related locations. They stay after the run
 * (as lockdep's reports do) until the next traced session starts.
 */
import * as vscode from 'vscode';
import type { ChainStep, LiveLockGraph, LiveOrderStep, SourceLocation } from '@deadbolt/server/protocol';

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
    const name = (lock: string): string => names.get(lock) ?? lock;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const cycle of found) {
      // Steps taken at one place (the same code run by two threads, as usual) make one warning there.
      const places = new Map<string, { at: ChainStep; steps: LiveOrderStep[] }>();
      for (const step of cycle.steps) {
        const at = step.takenAt[0];
        if (at === undefined) continue;
        const key = `${at.location.uri}#${at.location.range.start.line}:${at.location.range.start.character}`;
        const place = places.get(key) ?? { at, steps: [] };
        place.steps.push(step);
        places.set(key, place);
      }
      for (const { at, steps } of places.values()) {
        const here = steps.map((s) => `${s.thread} takes ${name(s.taken)} here while holding ${name(s.held)}`).join('; ');
        const elsewhere = cycle.steps.filter((s) => !steps.includes(s)).map((s) => `${s.thread} takes ${name(s.taken)} while holding ${name(s.held)}`);
        const diagnostic = new vscode.Diagnostic(
          range(at.location),
          `Potential deadlock (${cycle.description}): ${here}${elsewhere.length > 0 ? `; elsewhere ${elsewhere.join('; ')}` : ''}. ` +
            'Observed by lock tracing; the run need not have deadlocked.',
          vscode.DiagnosticSeverity.Warning,
        );
        diagnostic.source = TRACE_DIAGNOSTIC_SOURCE;
        diagnostic.code = 'lock-order';
        diagnostic.relatedInformation = cycle.steps.flatMap((s) => [
          ...related(s.takenAt, `${s.thread} takes ${name(s.taken)}`),
          ...related(s.heldAt, `${s.thread} took ${name(s.held)}`),
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
