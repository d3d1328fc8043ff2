/** The analysis engine's public entry: `analyze()`, `Workspace`, the rule registry and the vocabulary they use. */
export * from './types.js';
export type { Rule, RuleContext, ProgramModel, LockRef, RuntimeCall, LockFacts } from './rule.js';
export { rules } from './rules/index.js';
export { analyze, Workspace, type AnalyzeOptions, type AnalysisResult } from './analyze.js';
export { applyEdits, isCancellation, type GateVerdict } from './fix-gate.js';
