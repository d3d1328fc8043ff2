/**
 * Hands `node:worker_threads` to ids.ts on Node before 20.16, which has no `process.getBuiltinModule`: the package's
 * `node` entry (node.ts) imports this module first, and ESM evaluates imports in order, so the module is published
 * before ids.ts reads it. Browsers load index.ts directly and never see this file.
 */
import * as workerThreads from 'node:worker_threads';

(globalThis as Record<symbol, unknown>)[Symbol.for('deadbolt.workerThreads')] = workerThreads;
