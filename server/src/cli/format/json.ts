/**
 * `--format json`: the machine-readable report as DESIGN.md shows it (1-based positions, paths relative to cwd),
 * extended with each finding's fixes: title, safety (`safe` ones are what `--fix` applies), and edits as 1-based
 * ranges plus the 0-based UTF-16 offsets SARIF uses, and with the notices stderr shows (skipped files, syntax errors,
 * budgets hit, configs that could not be read).
 */
import type { Finding, Notice } from '../../engine/index.js';
import { displayPath } from './paths.js';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
  fixes: JsonFix[];
}

export interface JsonFix {
  title: string;
  safety: 'safe' | 'unsafe';
  preferred: boolean;
  edits: { file: string; line: number; column: number; endLine: number; endColumn: number; start: number; end: number; newText: string }[];
}

/** 1-based line and column of a 0-based offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A notice as stderr prints it; the per-file details (`--verbose`) only when asked for. */
export interface JsonNotice {
  kind: Notice['kind'];
  level: Notice['level'];
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface JsonReport {
  diagnostics: JsonDiagnostic[];
  summary: { files: number; errors: number; warnings: number };
  notices: JsonNotice[];
}

/** `textOf` reads an analysed file's text, to turn fix offsets into lines and columns. */
export function toJsonReport(findings: readonly Finding[], files: number, cwd: string, textOf: (file: string) => string, notices: readonly Notice[] = [], verbose = false): JsonReport {
  const texts = new Map<string, string>();
  const text = (file: string): string => {
    let known = texts.get(file);
    if (known === undefined) texts.set(file, (known = textOf(file)));
    return known;
  };
  return {
    diagnostics: findings.map((f) => ({
      file: displayPath(cwd, f.span.file),
      line: f.span.line,
      column: f.span.column,
      endLine: f.span.endLine,
      endColumn: f.span.endColumn,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      related: f.related.map((r) => ({ file: displayPath(cwd, r.span.file), line: r.span.line, column: r.span.column, message: r.message })),
      fixes: f.fixes.map((fix) => ({
        title: fix.title,
        safety: fix.safety,
        preferred: fix.preferred,
        edits: fix.edits.map((edit) => {
          const start = position(text(edit.file), edit.start);
          const end = position(text(edit.file), edit.end);
          return { file: displayPath(cwd, edit.file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column, start: edit.start, end: edit.end, newText: edit.newText };
        }),
      })),
    })),
    summary: {
      files,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
    notices: notices.filter((n) => verbose || !n.verbose).map((n) => ({
      kind: n.kind,
      level: n.level,
      message: n.message,
      ...(n.file === undefined ? {} : { file: displayPath(cwd, n.file) }),
      ...(n.line === undefined ? {} : { line: n.line, column: n.column }),
    })),
  };
}

export function formatJson(findings: readonly Finding[], files: number, cwd: string, textOf: (file: string) => string, notices: readonly Notice[] = [], verbose = false): string {
  return `${JSON.stringify(toJsonReport(findings, files, cwd, textOf, notices, verbose), null, 2)}\n`;
}
