/**
 * Thread liveness, so a waiter can tell that the thread holding a lock is gone (terminated, crashed or exited)
 * without the lock's fast path paying anything. Every thread that loads the runtime registers in one process-wide
 * table and parks a permanent Atomics.waitAsync on its own entry. V8 drops a thread's async waiters when its
 * isolate is torn down, so `Atomics.notify(entry, 1)` returning 0 proves the thread is gone; returning 1 proves it
 * is alive (the notify consumed its waiter, and the thread parks a new one when it next runs). Only a waiter that
 * has slept for a while (see RECHECK_MS) asks, so the probe costs nothing on any uncontended path.
 */

import { threadToken, workerThreads } from './ids.js';

/** How often a sleeping waiter wakes to re-check its word and whether the holder is still alive. */
export const RECHECK_MS = 100;

/** The environment-data key under which the table travels to workers (as the id space does). */
const LIVENESS_KEY = 'deadbolt.liveness.v1';

/** Int32 slots of one table entry. */
const E_TOKEN = 0; // threadToken of the registered thread; -token once it is known dead; 0 never used
const E_PROBE = 1; // 0 while the thread's life waiter is parked; 1 once a probe consumed it (or before the first park)
const E_WAKE = 2; // the thread's life waiter sleeps on this slot, which always holds 0
const ENTRY_SLOTS = 4; // one spare, so an entry is 16 bytes

/** Entries in the table: threads alive (or dead but not yet forgotten) at once. */
const CAPACITY = 1024;
const TABLE_BYTES = CAPACITY * ENTRY_SLOTS * 4;

function openTable(): Int32Array<SharedArrayBuffer> | undefined {
  if (workerThreads === undefined) return undefined; // browsers: no way to share the table; nobody is found dead
  const inherited: unknown = workerThreads.getEnvironmentData(LIVENESS_KEY);
  if (inherited instanceof SharedArrayBuffer && inherited.byteLength === TABLE_BYTES) return new Int32Array(inherited);
  // A worker created before any thread loaded the runtime starts its own table; its children inherit it.
  const table = new Int32Array(new SharedArrayBuffer(TABLE_BYTES));
  for (let e = 0; e < CAPACITY; e++) table[e * ENTRY_SLOTS + E_PROBE] = 1; // nobody parked: nothing to probe
  workerThreads.setEnvironmentData(LIVENESS_KEY, table.buffer);
  return table;
}

const table = openTable();

/**
 * Claims an entry: a never-used one first, else one of a thread known dead (the oldest evidence is forgotten
 * first). Returns its first slot, or -1 when every entry belongs to a live thread (this thread is then never
 * reported dead: its locks behave as before, held until released).
 */
function register(t: Int32Array<SharedArrayBuffer>): number {
  for (const reuse of [false, true]) {
    for (let e = 0; e < CAPACITY; e++) {
      const base = e * ENTRY_SLOTS;
      const seen = Atomics.load(t, base + E_TOKEN);
      if (reuse ? seen >= 0 : seen !== 0) continue;
      if (Atomics.compareExchange(t, base + E_TOKEN, seen, threadToken) === seen) return base;
    }
  }
  return -1;
}

const mine = table === undefined ? -1 : register(table);
/**
 * Whether this thread can ever be reported dead (it holds an entry). False in browsers and beyond CAPACITY live
 * threads; a Semaphore then skips recording this thread's scoped permits, which nobody could recover anyway.
 */
export const findable: boolean = mine >= 0;
/** The life waiter now parked; a superseded one (already consumed by a probe) does not park again. */
let lifeWait: Promise<unknown> | undefined;

function park(): void {
  const t = table!;
  const wait = Atomics.waitAsync(t, mine + E_WAKE, 0);
  const promise = wait.value as Promise<unknown>;
  lifeWait = promise;
  // Parked first, then announced: a prober that reads E_PROBE 0 is sure to find the waiter (or a dead isolate).
  Atomics.store(t, mine + E_PROBE, 0);
  void promise.then(() => {
    if (lifeWait === promise) park();
  });
}

if (mine >= 0) park();

/**
 * Called by a sleeping waiter when it wakes to re-check: if a probe consumed this thread's life waiter while its
 * event loop could not run (it is blocked in this very wait), park a new one now, so it is not mistaken for dead
 * and, should it die blocked, can still be found dead.
 */
export function stayFindable(): void {
  if (mine >= 0 && Atomics.load(table!, mine + E_PROBE) === 1) park();
}

/**
 * True only when the thread with this owner token is certainly gone. False when it is alive or cannot be told
 * (never registered, forgotten, or probed recently and not yet re-parked); a false "dead" would break mutual
 * exclusion, so every doubt answers "alive".
 */
export function isDead(token: number): boolean {
  if (table === undefined || token === threadToken || token <= 0) return false;
  for (let base = 0; base < TABLE_BYTES / 4; base += ENTRY_SLOTS) {
    const seen = Atomics.load(table, base + E_TOKEN);
    if (seen === -token) return true;
    if (seen !== token) continue;
    // Claim the probe: only one prober may consume the waiter, and none while the thread has not re-parked.
    if (Atomics.compareExchange(table, base + E_PROBE, 0, 1) !== 0) return false;
    if (Atomics.notify(table, base + E_WAKE, 1) === 1) return false;
    // E_PROBE said a waiter was parked, yet none was found: V8 removed it with the isolate. Record the death.
    Atomics.compareExchange(table, base + E_TOKEN, token, -token);
    return true;
  }
  return false;
}
