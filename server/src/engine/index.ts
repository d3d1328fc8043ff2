/** The analysis engine's public entry. */
export * from './types.js';
export type { Rule, RuleContext, ProgramModel, LockRef } from './rule.js';
export { rules } from './rules/index.js';
