/**
 * The last of the runtime's modules to run (index.ts imports it last): where its top-level code stands marks the end of
 * the runtime's code in a bundle (see code-start.ts).
 */

import { markCodeEnd } from './checked/held.js';

markCodeEnd(new Error().stack ?? '');
