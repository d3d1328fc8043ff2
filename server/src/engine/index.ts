/** The analysis engine's public entry: `analyze()`, `Workspace`, the rule registry and the vocabulary they use. */
export * from './types.js';
export type { Rule, RuleContext, ProgramModel, LockRef, RuntimeCall, LockFacts } from './rule.js';
export { rules } from './rules/index.js';
export { analyze, Workspace, type AnalyzeOptions, type AnalysisResult } from './analyze.js';
/** The JSON schema of deadbolt.config.json, which editors are given (the VS Code extension ships it as a file). */
export { configSchema } from './config-schema.js';
export { isCancellation, type GateVerdict } from './fix-gate.js';
export { applyEdits } from './text-edits.js';
