/**
 * `--format text`, modelled on ESLint's "stylish": a header per file, aligned `line:col  severity  message  rule`
 * rows with related locations indented below, and a one-line summary. Colour only when the caller says so.
 */
import type { Finding } from '../../engine/index.js';
import { displayPath } from './paths.js';

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', yellow: '\u001b[33m', blue: '\u001b[34m', underline: '\u001b[4m' };

export function formatText(findings: readonly Finding[], cwd: string, color: boolean): string {
  if (findings.length === 0) return '';
  const paint = (code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byFile.get(finding.span.file) ?? [];
    list.push(finding);
    byFile.set(finding.span.file, list);
  }

  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push('', paint(ANSI.underline, displayPath(cwd, file)));
    const positions = list.map((f) => `${f.span.line}:${f.span.column}`);
    const positionWidth = Math.max(...positions.map((p) => p.length));
    const severityWidth = Math.max(...list.map((f) => f.severity.length));
    const messageWidth = Math.max(...list.map((f) => firstLine(f.message).length));
    list.forEach((finding, index) => {
      const severity = finding.severity.padEnd(severityWidth);
      const severityColour = finding.severity === 'error' ? ANSI.red : finding.severity === 'warning' ? ANSI.yellow : ANSI.blue;
      out.push(
        `  ${paint(ANSI.dim, positions[index]!.padStart(positionWidth))}  ${paint(severityColour, severity)}  ${firstLine(finding.message).padEnd(messageWidth)}  ${paint(ANSI.dim, finding.rule)}`,
      );
      const indent = ' '.repeat(2 + positionWidth + 2 + severityWidth + 2);
      for (const related of finding.related) {
        out.push(`${indent}${paint(ANSI.dim, `${displayPath(cwd, related.span.file)}:${related.span.line}:${related.span.column}`)}  ${firstLine(related.message)}`);
      }
    });
  }

  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const hints = findings.filter((f) => f.severity === 'hint').length;
  const infos = findings.length - errors - warnings - hints;
  const counts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(infos > 0 ? [plural(infos, 'info')] : []), ...(hints > 0 ? [plural(hints, 'hint')] : [])].join(', ');
  const summary = `✖ ${plural(findings.length, 'problem')} (${counts})`;
  out.push('', paint(ANSI.bold + (errors > 0 ? ANSI.red : ANSI.yellow), summary), '');
  return out.join('\n');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 || word === 'info' ? '' : 's'}`;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? text : text.slice(0, newline);
}
