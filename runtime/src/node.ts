/**
 * The package's entry on Node (the `node` condition of its exports): the same API as index.ts, after making
 * worker_threads available to ids.ts on Node versions that lack `process.getBuiltinModule` (see node-builtins.ts).
 */
import './node-builtins.js';

export * from './index.js';
