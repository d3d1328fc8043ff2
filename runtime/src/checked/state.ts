/**
 * Whether checked mode is on in this thread, and the shared lock-order graph it records into. Primitives read
 * `checking` once per acquisition and release, so the unchecked path pays one load and a branch.
 * Checked mode turns on from env DEADBOLT_CHECK=1, from configure(), or by inheritance: a worker whose parent
 * published a graph (before creating it) checks against that same graph.
 */

import { workerThreads } from '../ids.js';
import { GRAPH_BYTES, SharedLockGraph } from './graph.js';

const GRAPH_KEY = 'deadbolt.lockGraph.v1';

export let checking = false;
export let graph: SharedLockGraph | undefined;

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
  checking = on;
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.['DEADBOLT_CHECK'] === '1') {
  setChecking(true);
} else {
  const inherited = inheritedGraph();
  if (inherited !== undefined) {
    graph = inherited;
    checking = true;
  }
}
