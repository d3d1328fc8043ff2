/** Rule `non-atomic-update`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const nonAtomicUpdate: Rule = {
  id: 'non-atomic-update',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
