/** Rule `unguarded-write`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const unguardedWrite: Rule = {
  id: 'unguarded-write',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
