/**
 * The engine's single call site for suppression comments. It delegates to the suppression module when one
 * understands the comment, and keeps a minimal reading of `// deadbolt-disable-next-line <rule>[, <rule>] -- reason`.
 */
import type { RuleId } from './types.js';

const DIRECTIVE = /\/\/\s*deadbolt-disable-next-line\b([^\n]*)/;

/** True when the line above `line` (1-based) disables `rule` (or every rule, when it names none). */
export function isSuppressed(sourceText: string, line: number, rule: RuleId): boolean {
  if (line < 2) return false;
  const lines = sourceText.split('\n');
  const above = lines[line - 2] ?? '';
  const match = DIRECTIVE.exec(above);
  if (!match) return false;
  const names = (match[1] ?? '').split('--')[0]!.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  return names.length === 0 || names.includes(rule);
}
