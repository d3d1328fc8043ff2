/** Rule `lock-leak`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const lockLeak: Rule = {
  id: 'lock-leak',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
