/**
 * Code actions from engine fixes: each fix of a finding under the cursor as a `quickfix` (`isPreferred` for the one
 * safe fix the engine prefers; unsafe fixes never), a suppression comment with a reason placeholder, "Show in Lock
 * Graph" for a lock-order cycle, and `source.fixAll.deadbolt` applying every preferred fix of the document at once.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { suppressionFix } from '../engine/fixes/suppress.js';
import type { Finding, Fix, TextEdit } from '../engine/index.js';
import { sameDiagnostic, spanToRange, toDiagnostic } from './diagnostics.js';
import type { UriMap } from './files.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.deadbolt`;

export interface CodeActionInput {
  params: CodeActionParams;
  /** Findings of the document the request is about, computed from its current text, their fixes type-checked. */
  findings: readonly Finding[];
  /** The findings a fix-all applies, with their safe fixes type-checked (default: `findings`). */
  fixAllFindings?: readonly Finding[];
  uris: UriMap;
  docsBase: string;
  /** The editor command that shows the lock graph on a cycle, when the editor has one (initialization option). */
  lockGraphCommand?: string | undefined;
  /** The analysed text of any file a fix edits (fixes may reach into other files). */
  textOf(path: string): TextDocument | undefined;
}

/** Whether an action of `kind` was asked for: LSP kinds are hierarchical, so `source` asks for `source.fixAll.deadbolt`. */
function wanted(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((prefix) => kind === prefix || kind.startsWith(`${prefix}.`));
}

function touches(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * What a request can show, for the analysis worker's type-check gate to check before any of it is offered: every fix
 * of the findings under the range (quick fixes), and the safe fixes of every finding of the document (a fix-all).
 */
export function fixesAsked(params: CodeActionParams, findings: readonly Finding[]): { quickFix: Finding[]; fixAll: Finding[] } {
  const only = params.context.only;
  const withFixes = findings.filter((f) => f.fixes.length > 0);
  return {
    quickFix: wanted(only, CodeActionKind.QuickFix) ? withFixes.filter((f) => touches(spanToRange(f.span), params.range)) : [],
    fixAll: only !== undefined && wanted(only, FIX_ALL_KIND) ? withFixes : [],
  };
}

export function codeActions(input: CodeActionInput): CodeAction[] {
  const { params, findings } = input;
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (wanted(only, CodeActionKind.QuickFix)) {
    for (const finding of findings) {
      if (!touches(spanToRange(finding.span), params.range)) continue;
      const sent = params.context.diagnostics.filter((d) => sameDiagnostic(d, finding));
      const diagnostics = sent.length > 0 ? sent : [toDiagnostic(finding, input.uris, input.docsBase)];
      for (const fix of finding.fixes) {
        const edit = toWorkspaceEdit(fix.edits, input);
        if (edit === undefined) continue;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics, isPreferred: fix.preferred, edit });
      }
      const suppression = suppress(finding, input);
      if (suppression !== undefined) actions.push({ ...suppression, diagnostics });
      if (finding.rule === 'lock-order' && input.lockGraphCommand !== undefined) {
        actions.push({ ...showInLockGraph(finding, input.lockGraphCommand, input), diagnostics });
      }
    }
  }

  // A fix-all is a source action: editors ask for it explicitly (on save, or from a command), not at the cursor.
  if (only !== undefined && wanted(only, FIX_ALL_KIND)) {
    const edit = toWorkspaceEdit(preferredEdits(input.fixAllFindings ?? findings), input);
    if (edit !== undefined) actions.push({ title: 'Fix all auto-fixable Deadbolt problems', kind: FIX_ALL_KIND, edit });
  }
  return actions;
}

/**
 * "Show in Lock Graph": the editor's graph finds the cycle whose acquisition chains pass through the diagnostic's
 * place, so the action carries only that place (a `SourceLocation`) and needs nothing from the engine's graph.
 */
function showInLockGraph(finding: Finding, command: string, input: CodeActionInput): CodeAction {
  const place = { uri: input.uris.uriOf(finding.span.file), range: spanToRange(finding.span) };
  return {
    title: 'Show in Lock Graph',
    kind: CodeActionKind.QuickFix,
    isPreferred: false,
    command: { title: 'Show in Lock Graph', command, arguments: [place] },
  };
}

function suppress(finding: Finding, input: CodeActionInput): CodeAction | undefined {
  const text = input.textOf(finding.span.file);
  if (text === undefined) return undefined;
  const fix: Fix = suppressionFix(finding, text.getText());
  const edit = toWorkspaceEdit(fix.edits, input);
  return edit === undefined ? undefined : { title: fix.title, kind: CodeActionKind.QuickFix, isPreferred: false, edit };
}

/**
 * The edits of every preferred fix, skipping a fix any of whose edits overlaps one already taken: two fixes of
 * the same code would otherwise garble it, and the skipped one is found again on the next analysis.
 */
export function preferredEdits(findings: readonly Finding[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const overlaps = (e: TextEdit) => taken.some((t) => t.file === e.file && e.start < t.end && t.start < e.end);
  const samePoint = (e: TextEdit) => taken.some((t) => t.file === e.file && e.start === e.end && t.start === e.start && t.end === e.end);
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      if (!fix.preferred || fix.edits.length === 0) continue;
      if (fix.edits.some((e) => overlaps(e) || samePoint(e))) continue;
      taken.push(...fix.edits);
    }
  }
  return taken;
}

/** Engine edits (offsets into analysed texts) as one LSP edit per file, or undefined when there is nothing to do. */
function toWorkspaceEdit(edits: readonly TextEdit[], input: CodeActionInput): WorkspaceEdit | undefined {
  if (edits.length === 0) return undefined;
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of edits) {
    const text = input.textOf(edit.file);
    if (text === undefined) return undefined; // a fix we cannot place entirely is not offered at all
    const uri = input.uris.uriOf(edit.file);
    (changes[uri] ??= []).push({
      range: { start: text.positionAt(edit.start), end: text.positionAt(edit.end) },
      newText: edit.newText,
    });
  }
  return { changes };
}
