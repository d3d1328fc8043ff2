/**
 * `deadbolt report --html`: bundles the lock graph's browser code (the same modules the editor's panel runs) with
 * esbuild into one script and hands it, with the findings and the graph, to the page formatter. The page loads
 * nothing from anywhere, so it works as a CI artifact opened from disk.
 */
import { fileURLToPath } from 'node:url';
import type { Finding } from '../engine/index.js';
import { graphCss } from '../graph-view/styles.js';
import type { StaticLockGraph } from '../protocol/index.js';
import { formatHtml } from './format/html.js';

export interface HtmlReportInput {
  findings: readonly Finding[];
  graph: StaticLockGraph;
  files: number;
  cwd: string;
  version: string;
}

/** The compiled entry of the report's script, beside this file's compiled form (dist/src/cli -> dist/src/graph-view). */
const reportEntry = fileURLToPath(new URL('../graph-view/report-page.js', import.meta.url));

export async function reportScript(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [reportEntry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export async function htmlReport(input: HtmlReportInput): Promise<string> {
  return formatHtml({ ...input, script: await reportScript(), css: graphCss });
}
