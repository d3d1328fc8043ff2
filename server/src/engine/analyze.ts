/**
 * The engine's public entry points: `analyze()` for one-shot runs (the CLI) and `Workspace` for long-lived
 * sessions (the language server). Both take files and configuration as inputs and know nothing of editors.
 */
import type { StaticLockGraph } from '../protocol/index.js';
import type { DeadboltConfig, Finding, Notice } from './types.js';
import { Workspace } from './workspace.js';

export interface AnalyzeOptions {
  /** Paths in output are relative to it (the CLI does that); configuration is looked up from it. */
  cwd: string;
  /** A tsconfig.json; when absent and `paths` is given, those files and folders are analysed. */
  tsconfig?: string;
  /** Files or folders (folders: every .ts/.tsx/.mts/.cts/.js/.mjs below, minus node_modules and dist). */
  paths?: string[];
  /**
   * The tsconfig was chosen by default (the CLI found ./tsconfig.json, not `--project`): when it covers less than
   * half of its folder and the folder is an npm, Yarn or pnpm workspace, each package is analysed with its own config.
   */
  expandWorkspaces?: boolean;
  /** Already-loaded configuration (the CLI loads deadbolt.config.json). */
  config?: DeadboltConfig;
  onProgress?: (done: number, total: number, file: string) => void;
  /**
   * `checked` (the default): every fix has passed the type-check gate (`fix-gate.ts`) against the project's own
   * compiler options, and the rest are dropped. `unchecked`: the fixes as the rules proposed them, for callers that
   * check only the few they show (`Workspace.checkFixes`), or need none.
   */
  fixes?: 'checked' | 'unchecked';
}

export interface AnalysisResult {
  findings: Finding[];
  /** How many files the analysis covered (before the syntactic prefilter). */
  files: number;
  /**
   * Root walks (a file's top level or a lock-touching function, per thread) this analysis ran, and those it reused
   * from earlier analyses of the same Workspace because no change since could affect them. When the last result
   * stood (only files outside the analysis changed), `run` is 0 and `reused` counts every walk.
   */
  walks: { run: number; reused: number };
  /** What the user should know about how the analysis ran (skipped files, coverage, syntax errors, unreadable configs). */
  notices: Notice[];
  /** Built on first read (a `Workspace` builds it before its files next change), so runs that never read it skip it. */
  graph: StaticLockGraph;
}

export function analyze(options: AnalyzeOptions): AnalysisResult {
  const workspace = new Workspace(options);
  const result = workspace.analyze();
  if (options.fixes === 'unchecked') return result;
  const findings = workspace.checkFixes(result.findings);
  // The graph stays lazy: reading it here would build it for runs that never look.
  return { findings, files: result.files, walks: result.walks, notices: result.notices, get graph() { return result.graph; } };
}

export { Workspace };
