/**
 * Each thread's list of the primitives it has (weakly held), and what it does for them when a thread dies: every
 * thread parks one Atomics.waitAsync on the thread table's death epoch, and when a death is reported, each thread that
 * can run its event loop asks each of its primitives to wake the waiters the death concerns. A primitive is usually
 * known to several threads, so its waiters are woken even when their own thread is blocked. Async waits also probe
 * the threads they wait on, rarely, for deaths nobody could report (see liveness.ts).
 */

import { PROBE_AFTER_MS, POLL_MAX_MS } from './liveness.js';
import { H_EPOCH, setDeathListener, table } from './thread-table.js';
import { waitAsync, WATCHER_POLL_CAP_MS } from './wait-async.js';
import './worker-exits.js';

/** A primitive whose waiters depend on other threads staying alive. */
export interface Watched {
  /** Some thread died: wake this primitive's waiters if that concerns them (or do for them what it needs). */
  deathReported(): void;
  /** Async waiters of this thread have waited a while: probe the threads they wait on (rate-limited per thread). */
  probeHolders(): void;
}

const watched = new Set<WeakRef<Watched>>();
/** Size after the last sweep of collected entries; sweeping when it doubles keeps the set's cost per watch() constant. */
let swept = 0;

/** Registers a primitive this thread has (constructed or rebuilt from a handle). */
export function watch(primitive: Watched): void {
  if (table === undefined) return;
  watched.add(new WeakRef(primitive));
  if (watched.size > 2 * swept + 1024) {
    for (const ref of watched) if (ref.deref() === undefined) watched.delete(ref);
    swept = watched.size;
  }
}

function deathsReported(): void {
  for (const ref of watched) {
    const primitive = ref.deref();
    if (primitive === undefined) watched.delete(ref);
    else primitive.deathReported();
  }
}

/**
 * Parks the death watcher: it does not keep the thread alive (Node does not count a pending waitAsync, and the
 * polling stand-in's timers are unref'd). reportDead bumps the epoch before notifying, so polling sees every death.
 */
function watchDeaths(t: Int32Array<SharedArrayBuffer>): void {
  let epoch = Atomics.load(t, H_EPOCH);
  const park = (): void => {
    const wait = waitAsync(t, H_EPOCH, epoch, Infinity, { capMs: WATCHER_POLL_CAP_MS });
    if (!wait.async) return void queueMicrotask(woken);
    void wait.value.then(woken);
  };
  const woken = (): void => {
    epoch = Atomics.load(t, H_EPOCH);
    deathsReported();
    park();
  };
  park();
}

if (table !== undefined) {
  watchDeaths(table);
  // A death this thread reports itself is acted on at once, not a turn of the event loop later.
  setDeathListener(deathsReported);
}

/** Primitives with async waits pending in this thread, by how many gates of theirs have waiters. */
const waiting = new Map<Watched, number>();
let probeTimer: ReturnType<typeof setTimeout> | undefined;
let probeDelay = PROBE_AFTER_MS;

/** An async wait on `primitive` began in this thread: while any is pending, holders are probed now and then. */
export function waitBegan(primitive: Watched): void {
  waiting.set(primitive, (waiting.get(primitive) ?? 0) + 1);
  if (probeTimer === undefined && table !== undefined) scheduleProbes();
}

export function waitEnded(primitive: Watched): void {
  const n = waiting.get(primitive)! - 1;
  if (n > 0) return void waiting.set(primitive, n);
  waiting.delete(primitive);
  if (waiting.size === 0 && probeTimer !== undefined) {
    clearTimeout(probeTimer);
    probeTimer = undefined;
    probeDelay = PROBE_AFTER_MS;
  }
}

function scheduleProbes(): void {
  probeTimer = setTimeout(() => {
    for (const primitive of waiting.keys()) primitive.probeHolders();
    probeDelay = Math.min(probeDelay * 2, POLL_MAX_MS);
    if (waiting.size > 0) scheduleProbes();
    else probeTimer = undefined;
  }, probeDelay);
  // Only observes: a pending wait keeps the loop alive through keep-alive.ts, not through this timer.
  (probeTimer as { unref?: () => void }).unref?.();
}
