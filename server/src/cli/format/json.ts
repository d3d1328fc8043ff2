/** `--format json`: the machine-readable report exactly as DESIGN.md shows it (1-based positions, paths relative to cwd). */
import type { Finding } from '../../engine/index.js';
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
}

export interface JsonReport {
  diagnostics: JsonDiagnostic[];
  summary: { files: number; errors: number; warnings: number };
}

export function toJsonReport(findings: readonly Finding[], files: number, cwd: string): JsonReport {
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
    })),
    summary: {
      files,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
}

export function formatJson(findings: readonly Finding[], files: number, cwd: string): string {
  return `${JSON.stringify(toJsonReport(findings, files, cwd), null, 2)}\n`;
}
