/** Rule `await-holding-lock`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const awaitHoldingLock: Rule = {
  id: 'await-holding-lock',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
