/** Rule `lock-order`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const lockOrder: Rule = {
  id: 'lock-order',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
