/**
 * The first of the runtime's modules to run (index.ts imports it first, and it imports nothing). Where its top-level
 * code stands marks the start of the runtime's code when a bundler has put the runtime and the program into one file;
 * code-end.ts marks the end, and checked mode's call sites skip the frames between (checked/held.ts).
 */

/** The stack at this module's top level: its first frame is where the runtime's code starts. */
export const codeStartStack: string = new Error().stack ?? '';
