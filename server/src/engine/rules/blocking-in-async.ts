/** Rule `blocking-in-async`: not implemented yet (see DESIGN.md for what it finds). */
import type { Rule } from '../rule.js';

export const blockingInAsync: Rule = {
  id: 'blocking-in-async',
  description: 'TODO',
  defaultSeverity: 'error',
  check() {},
};
