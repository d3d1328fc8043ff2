/** Rule `double-lock`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const doubleLock: Rule = {
  id: 'double-lock',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
