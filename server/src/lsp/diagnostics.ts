/**
 * Engine findings as LSP diagnostics: rule id as `code`, a link to the rule's doc page, severity, and one
 * related-information entry per step of every acquisition chain the finding carries.
 */
import { existsSync } from 'node:fs';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding, Severity, Span } from '../engine/index.js';
import type { UriMap } from './files.js';

export const DIAGNOSTIC_SOURCE = 'deadbolt';

/**
 * Where rule pages live. The default is a file: URI to the Markdown pages shipped with the server
 * (`docs/rules/<id>.md` beside the package, or at the repository root when running from a checkout), because it
 * works offline and always matches the installed version; an editor may pass `ruleDocsBase` (e.g. an https URL).
 */
export function defaultRuleDocsBase(): string {
  const candidates = [
    // Bundled (the VS Code extension's dist/server.js): pages copied next to the bundle.
    new URL('./docs/rules/', import.meta.url),
    // Installed package (dist/src/lsp/ -> package root), then a repository checkout (-> repository root).
    new URL('../../../docs/rules/', import.meta.url),
    new URL('../../../../docs/rules/', import.meta.url),
  ];
  return (candidates.find((url) => existsSync(url)) ?? candidates[2]!).href;
}

export function ruleDocUri(base: string, rule: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${rule}.md`;
}

/** Engine spans are 1-based lines and columns in UTF-16 units, which is LSP's 0-based position shifted by one. */
export function spanToRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, uris: UriMap, docsBase: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanToRange(finding.span),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.rule,
    codeDescription: { href: ruleDocUri(docsBase, finding.rule) },
    message: finding.message,
  };
  if (finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri: uris.uriOf(related.span.file), range: spanToRange(related.span) },
      message: related.message,
    }));
  }
  return diagnostic;
}

/** Whether a diagnostic the editor sent back (in a code action request) is the one `finding` produced. */
export function sameDiagnostic(diagnostic: Diagnostic, finding: Finding): boolean {
  const range = spanToRange(finding.span);
  return (
    diagnostic.code === finding.rule &&
    diagnostic.range.start.line === range.start.line &&
    diagnostic.range.start.character === range.start.character &&
    diagnostic.range.end.line === range.end.line &&
    diagnostic.range.end.character === range.end.character
  );
}
