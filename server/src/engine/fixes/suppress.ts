/**
 * The fix offered on every finding: insert `// deadbolt-disable-next-line <rule> -- reason` above its line.
 * It is never preferred, because silencing a finding is a decision a person must make, not `--fix`.
 */
import { SUPPRESSION_DIRECTIVE } from '../suppressions.js';
import type { Finding, Fix } from '../types.js';

/** The placeholder the user is meant to replace with why the finding is safe to ignore. */
export const REASON_PLACEHOLDER = 'reason';

/**
 * Builds the suppression fix for `finding` in `sourceText` (the analyzed text of its file). When the line above
 * already holds a directive, the rule is added to it rather than stacking a second comment that would not apply.
 */
export function suppressionFix(finding: Pick<Finding, 'rule' | 'span'>, sourceText: string): Fix {
  const { file } = finding.span;
  const title = `Suppress ${finding.rule} on this line`;
  const lineStart = startOfLine(sourceText, finding.span.start);
  const indent = /^[ \t]*/.exec(sourceText.slice(lineStart))?.[0] ?? '';
  const newline = sourceText.includes('\r\n') ? '\r\n' : '\n';

  if (lineStart > 0) {
    const previousStart = startOfLine(sourceText, lineStart - 1);
    const previous = sourceText.slice(previousStart, lineStart).replace(/\r?\n$/, '');
    const existing = new RegExp(`(//\\s*${SUPPRESSION_DIRECTIVE})([^\\n]*?)(\\s--.*)?$`).exec(previous);
    if (existing !== null && existing.index !== undefined) {
      const rules = (existing[2] ?? '').trim();
      if (rules.length === 0 || rules.split(',').map((r) => r.trim()).includes(finding.rule)) {
        // Already suppressed there (the engine would not have reported it); offer a no-op rather than a duplicate.
        return { title, edits: [], safety: 'unsafe', preferred: false };
      }
      const insertAt = previousStart + existing.index + existing[1]!.length + (existing[2] ?? '').trimEnd().length;
      return { title, safety: 'unsafe', preferred: false, edits: [{ file, start: insertAt, end: insertAt, newText: `, ${finding.rule}` }] };
    }
  }

  const comment = `${indent}// ${SUPPRESSION_DIRECTIVE} ${finding.rule} -- ${REASON_PLACEHOLDER}${newline}`;
  return { title, safety: 'unsafe', preferred: false, edits: [{ file, start: lineStart, end: lineStart, newText: comment }] };
}

function startOfLine(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
