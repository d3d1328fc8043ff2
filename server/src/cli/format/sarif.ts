/**
 * `--format sarif`: a SARIF 2.1.0 log for code-scanning tools. Every rule is described in tool.driver.rules with
 * a helpUri to its doc page; results carry 1-based regions relative to %SRCROOT% (the working directory) and fixes.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rules, type Finding, type Severity, type Span } from '../../engine/index.js';
import { displayPath } from './paths.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where rule docs live: docs/rules beside a checkout of the repository, which is where this build runs from. */
function helpUri(ruleId: string): string {
  for (const base of [new URL('../../../../../docs/rules/', import.meta.url), new URL('../../../../docs/rules/', import.meta.url)]) {
    const page = new URL(`${ruleId}.md`, base);
    if (existsSync(page)) return page.href;
  }
  return `https://github.com/deadbolt-dev/deadbolt/blob/main/docs/rules/${ruleId}.md`;
}

function level(severity: Severity): 'error' | 'warning' | 'note' {
  // SARIF has no level below "note"; a hint is a note.
  return severity === 'info' || severity === 'hint' ? 'note' : severity;
}

function physicalLocation(span: Span, cwd: string) {
  return {
    artifactLocation: { uri: encodeURI(displayPath(cwd, span.file)), uriBaseId: '%SRCROOT%' },
    region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
  };
}

export function toSarif(findings: readonly Finding[], cwd: string, version: string): object {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id as string, index]));
  const sourceRoot = pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deadbolt',
            version,
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.description },
              helpUri: helpUri(rule.id),
              defaultConfiguration: { level: level(rule.defaultSeverity) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: sourceRoot } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule) ?? -1,
          level: level(finding.severity),
          message: { text: finding.message },
          locations: [{ physicalLocation: physicalLocation(finding.span, cwd) }],
          relatedLocations: finding.related.map((related, index) => ({
            id: index + 1,
            physicalLocation: physicalLocation(related.span, cwd),
            message: { text: related.message },
          })),
          fixes: finding.fixes.filter((fix) => fix.edits.length > 0).map((fix) => ({
            description: { text: fix.title },
            properties: { safety: fix.safety },
            artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
              artifactLocation: { uri: encodeURI(displayPath(cwd, file)), uriBaseId: '%SRCROOT%' },
              replacements: edits.map((edit) => ({
                deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
                insertedContent: { text: edit.newText },
              })),
            })),
          })),
        })),
      },
    ],
  };
}

function groupByFile<T extends { file: string }>(edits: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const edit of edits) groups.set(edit.file, [...(groups.get(edit.file) ?? []), edit]);
  return [...groups];
}

export function formatSarif(findings: readonly Finding[], cwd: string, version: string): string {
  return `${JSON.stringify(toSarif(findings, cwd, version), null, 2)}\n`;
}
