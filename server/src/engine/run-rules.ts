/**
 * Runs the enabled rules over a computed program model and turns what they report into final findings:
 * severity from the configuration, suppression comments honoured, duplicates dropped, sorted by position.
 */
import type { Project, SourceFile } from 'ts-morph';
import type { ProgramModel, Rule } from './rule.js';
import type { DeadboltConfig, Finding } from './types.js';
import { filterSuppressed } from './suppressions.js';

export function runRules(
  rules: readonly Rule[],
  project: Project,
  files: readonly SourceFile[],
  config: DeadboltConfig,
  model: ProgramModel,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const configured = config.rules?.[rule.id];
    if (configured === 'off') continue;
    const severity = configured ?? rule.defaultSeverity;
    rule.check({
      project,
      files,
      config,
      model,
      report(finding) {
        // A rule may reach the same place through several call contexts; one finding per place is enough.
        const key = `${finding.rule}\0${finding.span.file}\0${finding.span.start}\0${finding.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push({ ...finding, severity });
      },
    });
  }
  return filterSuppressed(findings, (file) => project.getSourceFile(file)?.getFullText()).sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.line - b.span.line || a.span.column - b.span.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
