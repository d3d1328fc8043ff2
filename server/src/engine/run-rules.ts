/**
 * Runs the enabled rules over a computed program model and turns what they report into final findings:
 * severity from the configuration, suppression comments honoured, duplicates dropped, sorted by position.
 * With a RuleMemory, file-scoped rules check only the files the model says an edit affected.
 */
import type { Project, SourceFile } from 'ts-morph';
import type { EngineModel } from './model/program-model.js';
import type { Rule } from './rule.js';
import type { DeadboltConfig, Finding, RuleId } from './types.js';
import { filterSuppressed } from './suppressions.js';
import { FileRules } from './file-globs.js';

type Reported = Omit<Finding, 'severity'>;

/** The findings of file-scoped rules from the last run, by rule and file, and the configuration they were found with. */
export class RuleMemory {
  config: string | undefined;
  readonly byRule = new Map<RuleId, Map<string, Reported[]>>();
}

export function runRules(
  rules: readonly Rule[],
  project: Project,
  files: readonly SourceFile[],
  config: DeadboltConfig,
  model: EngineModel,
  memory: RuleMemory = new RuleMemory(),
): Finding[] {
  const configKey = JSON.stringify(config);
  if (memory.config !== configKey) {
    memory.config = configKey;
    memory.byRule.clear();
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const fileRules = new FileRules(config);
  for (const rule of rules) {
    const configured = config.rules?.[rule.id];
    if (configured === 'off' && !fileRules.enablesSomewhere(rule.id)) continue;
    const severity = configured ?? rule.defaultSeverity;
    const report = (finding: Reported): void => {
      // A rule may reach the same place through several call contexts; one finding per place is enough.
      const key = `${finding.rule}\0${finding.span.file}\0${finding.span.start}\0${finding.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      const inFile = fileRules.severityIn(finding.span.file, rule.id) ?? severity;
      if (inFile !== 'off') findings.push({ ...finding, severity: inFile });
    };
    if (rule.scope === 'file') {
      for (const finding of checkFiles(rule, project, files, config, model, memory)) report(finding);
    } else {
      rule.check({ project, files, config, model, report });
    }
  }
  return filterSuppressed(findings, (file) => project.getSourceFile(file)?.getFullText()).sort(compareFindings);
}

/** A file-scoped rule's findings: kept for the files no edit affected, found afresh for the rest. */
function checkFiles(rule: Rule, project: Project, files: readonly SourceFile[], config: DeadboltConfig, model: EngineModel, memory: RuleMemory): Reported[] {
  const known = memory.byRule.get(rule.id);
  const affected = model.affected;
  const stale = files.filter((file) => known === undefined || affected === 'all' || affected.has(file.getFilePath()) || !known.has(file.getFilePath()));
  const found = new Map<string, Reported[]>(stale.map((file) => [file.getFilePath(), []]));
  rule.check({
    project,
    files: stale,
    config,
    model,
    report(finding) {
      const list = found.get(finding.span.file);
      if (list === undefined) throw new Error(`${rule.id} is file-scoped but reported in ${finding.span.file}, a file it was not asked to check`);
      list.push(finding);
    },
  });
  const byFile = new Map(files.map((file) => [file.getFilePath() as string, found.get(file.getFilePath()) ?? known!.get(file.getFilePath())!]));
  memory.byRule.set(rule.id, byFile);
  return [...byFile.values()].flat();
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.line - b.span.line || a.span.column - b.span.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
