/**
 * Whether checked mode is on in this thread, and the shared lock-order graph it records into. Most primitives read
 * `checking` once per acquisition and release, so the unchecked path pays one load and a branch; Mutex follows it
 * through onCheckingChange instead, so its fast path pays nothing for it.
 * Checked mode turns on from env DEADBOLT_CHECK=1, from configure(), or by inheritance: a worker whose parent
 * published a graph (before creating it) checks against that same graph.
 */

import { workerThreads } from '../ids.js';
import { GRAPH_BYTES, SharedLockGraph } from './graph.js';

const GRAPH_KEY = 'deadbolt.lockGraph.v3'; // v2: 4 MiB arena, G_WARNED; v3: the lock word names its holder

export let checking = false;
export let graph: SharedLockGraph | undefined;

const listeners: ((on: boolean) => void)[] = [];

/**
 * Calls `listener` now with the current mode and again whenever it changes in this thread. Mutex uses it to keep
 * the mode in a prototype property, which V8 folds into optimized code as a constant (a change deoptimizes),
 * so its fast path does not load `checking` at all.
 */
export function onCheckingChange(listener: (on: boolean) => void): void {
  listeners.push(listener);
  listener(checking);
}

function setMode(on: boolean): void {
  checking = on;
  for (const listener of listeners) listener(on);
}

function inheritedGraph(): SharedLockGraph | undefined {
  const buffer: unknown = workerThreads?.getEnvironmentData(GRAPH_KEY);
  if (buffer instanceof SharedArrayBuffer && buffer.byteLength === GRAPH_BYTES) return new SharedLockGraph(buffer);
  return undefined;
}

/** Turns checked mode on or off in this thread; turning it on publishes the graph to workers created later. */
export function setChecking(on: boolean): void {
  if (on && graph === undefined) {
    graph = inheritedGraph() ?? new SharedLockGraph(new SharedArrayBuffer(GRAPH_BYTES));
    workerThreads?.setEnvironmentData(GRAPH_KEY, graph.buffer);
  }
  setMode(on);
}

/**
 * DEADBOLT_CHECK=1 in a worker that inherited no graph: the main thread did not load the runtime before creating
 * it, so every such worker makes a graph of its own and orders taken in different workers are never compared.
 * Nothing can share one after the fact, so say how to fix it rather than check less than the user thinks.
 */
function warnUnshared(): void {
  if (workerThreads === undefined || workerThreads.isMainThread) return;
  const message =
    `deadbolt checked mode (DEADBOLT_CHECK=1) in worker ${workerThreads.threadId}: the main thread had not loaded ` +
    '@deadbolt/runtime when it created this worker, so no lock-order graph is shared with it and orders are only ' +
    'checked within this worker. Load the runtime in the main thread first, e.g. node --import @deadbolt/runtime app.js';
  (globalThis as unknown as { process: { emitWarning(message: string, type: string): void } }).process.emitWarning(message, 'DeadboltWarning');
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.['DEADBOLT_CHECK'] === '1') {
  if (inheritedGraph() === undefined) warnUnshared();
  setChecking(true);
} else {
  const inherited = inheritedGraph();
  if (inherited !== undefined) {
    graph = inherited;
    setMode(true);
  }
}
