/**
 * Whether checked mode is on in this thread, and the shared lock-order graph it records into. Most primitives read
 * `checking` once per acquisition and release, so the unchecked path pays one load and a branch; Mutex follows it
 * through onCheckingChange instead, so its fast path pays nothing for it.
 * Checked mode turns on from env DEADBOLT_CHECK=1, from configure(), or by inheritance: a worker whose parent
 * published a graph (before creating it) checks against that same graph.
 */

import { workerThreads } from '../ids.js';
import { GRAPH_BYTES, SharedLockGraph } from './graph.js';

const GRAPH_KEY = 'deadbolt.lockGraph.v1';

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

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.['DEADBOLT_CHECK'] === '1') {
  setChecking(true);
} else {
  const inherited = inheritedGraph();
  if (inherited !== undefined) {
    graph = inherited;
    setMode(true);
  }
}
