/**
 * The process-wide thread table: every thread that loads the runtime takes an entry, and the entry's token is what
 * lock words and holder rows store to name that thread. A source of deaths (worker-exits.ts on Node) reports a thread
 * that has ended with reportDead(); from then on isDead() says so in two loads, and the entry may be taken again, so
 * the table never fills with threads that have exited. Life waiters (a probe that needs no event loop) are the
 * fallback for deaths no source reported; see probe().
 */

import { threadText } from './browser-context.js';
import { workerThreads } from './ids.js';
import { hasWaitAsync } from './wait-async.js';

/**
 * A token is `generation << SLOT_BITS | slot`: the entry it lives in and how many times that entry has been taken.
 * Tokens fit TOKEN_BITS, so a lock word keeps them beside its flag bits (futex.ts), and a token names one thread
 * until its entry has been taken GENERATIONS more times (the cursor spreads reuse over every entry, so that is after
 * about 2^27 threads have registered). Generations above GENERATIONS belong to threads outside any table (see
 * thisThread), so no table ever judges such a thread by an entry that is not its own.
 */
export const TOKEN_BITS = 28;
export const TOKEN_MASK = (1 << TOKEN_BITS) - 1;
const SLOT_BITS = 12;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
const GENERATIONS = (1 << (TOKEN_BITS - SLOT_BITS - 1)) - 1; // 1..GENERATIONS; 0 and larger ones are outside the table
/** Tokens of threads without a table have this bit (the top generation bit) set: never a table's token. */
const OUTSIDE = 1 << (TOKEN_BITS - 1);
/** Entries, counting entry 0, which holds the header: at most CAPACITY - 1 threads may have the runtime loaded at once. */
const CAPACITY = 1 << SLOT_BITS;
const ENTRY_SLOTS = 8; // 32 bytes; the table is 128 KiB
const TABLE_BYTES = CAPACITY * ENTRY_SLOTS * 4;

/** Header slots (in entry 0). */
const H_CURSOR = 0; // where the next registration starts looking, so reuse cycles through every entry
/** Bumped by every reported death, then notified: each thread's death watcher (watch.ts) sleeps on it. */
export const H_EPOCH = 1;

/** Slots of an entry. */
const E_STATE = 0; // the live thread's token; -token once it is known dead (the entry may then be taken); 0 never used
/** E_STATE while a thread fills in an entry it claimed: not a token, so nothing reads the stale fields as its. */
const REGISTERING = TOKEN_MASK + 1;
const E_THREAD = 1; // its threadId: for messages, and to find the entry when its Worker's 'exit' fires
const E_PARENT = 2; // token of the nearest ancestor that had loaded the runtime when this thread was created (0: none)
const E_LIFE = 3; // life waiters this thread has parked and nobody has claimed (see probe)
const E_LIFE_WAKE = 4; // where they sleep; always 0
const E_PROBED_AT = 5; // when a probe last claimed one, in deciseconds of Date.now() (wrapping Int32)

/** Life waiters a thread keeps parked: how many probes it can answer while its event loop cannot run. */
const LIFE_WAITERS = 16;
/**
 * The least time between two probes of one thread. Probes are the fallback for deaths no source reported, and each
 * probe of a live thread wakes its event loop; with this spacing and the doubling in probeIfDue, 16 life waiters
 * last a thread blocked in synchronous code about 2.5 days of probing.
 */
export const PROBE_EVERY_MS = 3_200;

/** Environment-data keys under which the table and this thread's token travel to the workers it creates. */
const TABLE_KEY = 'deadbolt.threads.v2';
const PARENT_KEY = 'deadbolt.parentToken.v2';
/**
 * Thread names (browsers: startWorker's `name`), NAME_UNITS UTF-16 units per entry (the first holds the length), written
 * by a thread as it registers, before its token is published. Only browser contexts make this buffer.
 */
const NAMES_KEY = 'deadbolt.threadNames.v1';
const NAME_UNITS = 32;

function openTable(): Int32Array<SharedArrayBuffer> | undefined {
  // A thread without a context (a Web Worker not started by startWorker): tokens are random, nobody is found dead.
  if (workerThreads === undefined) return undefined;
  const inherited: unknown = workerThreads.getEnvironmentData(TABLE_KEY);
  if (inherited instanceof SharedArrayBuffer && inherited.byteLength === TABLE_BYTES) return new Int32Array(inherited);
  // The first thread to load the runtime (or a worker created before any thread did) makes the table.
  const table = new Int32Array(new SharedArrayBuffer(TABLE_BYTES));
  workerThreads.setEnvironmentData(TABLE_KEY, table.buffer);
  return table;
}

/** The shared table, or undefined where threads cannot share one (a Web Worker not started by startWorker). */
export const table = openTable();

/** The names of threads, in browsers (on Node threads have none). */
const names: Uint16Array<SharedArrayBuffer> | undefined = (() => {
  if (table === undefined) return undefined;
  const inherited: unknown = workerThreads!.getEnvironmentData(NAMES_KEY);
  if (inherited instanceof SharedArrayBuffer && inherited.byteLength === CAPACITY * NAME_UNITS * 2) return new Uint16Array(inherited);
  if (!isBrowserRoot()) return undefined;
  const made = new Uint16Array(new SharedArrayBuffer(CAPACITY * NAME_UNITS * 2));
  workerThreads!.setEnvironmentData(NAMES_KEY, made.buffer);
  return made;
})();

/** The page's main thread in a browser: the thread whose workers may have names. */
function isBrowserRoot(): boolean {
  return workerThreads?.isMainThread === true && typeof (globalThis as { document?: unknown }).document === 'object';
}

function writeName(slot: number, name: string | undefined): void {
  if (names === undefined) return;
  const text = (name ?? '').slice(0, NAME_UNITS - 1);
  const at = slot * NAME_UNITS;
  for (let i = 0; i < text.length; i++) names[at + 1 + i] = text.charCodeAt(i);
  Atomics.store(names, at, text.length);
}

function readName(slot: number): string | undefined {
  if (names === undefined) return undefined;
  const at = slot * NAME_UNITS;
  const length = Atomics.load(names, at);
  return length === 0 ? undefined : String.fromCharCode(...names.subarray(at + 1, at + 1 + length));
}

const baseOf = (token: number): number => (token & SLOT_MASK) * ENTRY_SLOTS;
const generationOf = (token: number): number => token >>> SLOT_BITS;
/** Whether a value can be a token of this table (not 0, not a random browser token, not one naming the header). */
const inTable = (token: number): boolean =>
  table !== undefined && token > 0 && token < OUTSIDE && generationOf(token) !== 0 && (token & SLOT_MASK) !== 0;

/**
 * True when the thread with this token has certainly ended, as a source of deaths or a probe reported; two loads.
 * False for a live thread, and for any doubt: a wrong "dead" would break mutual exclusion. A token whose entry has
 * been taken since is dead too: only the entry's own thread could have written it anywhere.
 */
export function isDead(token: number): boolean {
  return inTable(token) && Atomics.load(table!, baseOf(token) + E_STATE) !== token;
}

/** Called with every token reportDead() marks, after it is marked (watch.ts wakes this thread's waiters). */
let onDeath: (() => void) | undefined;

export function setDeathListener(listener: () => void): void {
  onDeath = listener;
}

/**
 * The death signal: the thread named by `token` has ended (terminated, crashed, exited). Only a source that knows it
 * has ended may call this. Marks it dead (so its entry may be taken again), marks its descendants dead (Node ends a
 * worker's workers before the worker itself ends), and wakes every thread's death watcher, which wakes the waiters
 * of whatever the dead thread held.
 */
export function reportDead(token: number): void {
  if (!inTable(token) || !markDead(token)) return;
  Atomics.add(table!, H_EPOCH, 1);
  Atomics.notify(table!, H_EPOCH);
  onDeath?.();
}

function markDead(token: number): boolean {
  const t = table!;
  if (Atomics.compareExchange(t, baseOf(token) + E_STATE, token, -token) !== token) return false;
  for (let base = ENTRY_SLOTS; base < TABLE_BYTES / 4; base += ENTRY_SLOTS) {
    const child = Atomics.load(t, base + E_STATE);
    if (child > 0 && child <= TOKEN_MASK && Atomics.load(t, base + E_PARENT) === token) markDead(child);
  }
  return true;
}

/** reportDead for the thread with this threadId, if it registered and is still marked alive. */
export function reportExited(threadId: number): void {
  const token = liveToken(threadId);
  if (token !== 0) reportDead(token);
}

/** The token of the thread with this threadId, if it registered and is still marked alive; else 0. */
export function liveToken(threadId: number): number {
  if (table === undefined) return 0;
  for (let base = ENTRY_SLOTS; base < TABLE_BYTES / 4; base += ENTRY_SLOTS) {
    const token = Atomics.load(table, base + E_STATE);
    if (token > 0 && token <= TOKEN_MASK && Atomics.load(table, base + E_THREAD) === threadId) return token;
  }
  return 0;
}

/**
 * The thread a token names, for messages: "main thread", "worker 3", "worker 'decoder' (id 3)", or "a thread that has
 * exited" once its entry was reused.
 */
export function ownerLabel(token: number): string {
  if (inTable(token)) {
    const base = baseOf(token);
    const state = Atomics.load(table!, base + E_STATE);
    if (state === token || state === -token) {
      const name = readName(token & SLOT_MASK);
      // The name was written before the token was published; reread the state so a reuse since is not misnamed.
      if (Atomics.load(table!, base + E_STATE) === state) return threadText(Atomics.load(table!, base + E_THREAD), name);
    }
    return 'a thread that has exited';
  }
  return 'another thread';
}

/**
 * Asks whether the thread with this token is alive without needing its event loop: the fallback for deaths that no
 * source reported (the Worker's parent could not run its event loop, or never loaded the runtime). Every thread keeps
 * LIFE_WAITERS Atomics.waitAsync parked on its entry and counts them in E_LIFE after parking; V8 drops a thread's
 * async waiters when the thread ends. A probe first claims one counted waiter (so claims never exceed the waiters
 * parked), then notifies one: 1 woken proves the thread alive (it parks a replacement when its event loop next runs),
 * 0 proves it gone. No race makes a live thread look dead; a thread whose claimed waiters all went unreplaced (its
 * event loop blocked through LIFE_WAITERS probes) cannot be probed until it runs again: then the answer is "alive".
 * Returns true when the thread is (now known to be) dead.
 */
export function probe(token: number): boolean {
  if (table === undefined || !inTable(token)) return false;
  const base = baseOf(token);
  if (Atomics.load(table, base + E_STATE) !== token) return true;
  let parked = Atomics.load(table, base + E_LIFE);
  for (;;) {
    if (parked <= 0) return false;
    const seen = Atomics.compareExchange(table, base + E_LIFE, parked, parked - 1);
    if (seen === parked) break;
    parked = seen;
  }
  if (Atomics.notify(table, base + E_LIFE_WAKE, 1) === 1) return false;
  // 0 woken: every waiter of this entry is gone. The entry must still be this thread's (were it reported dead and
  // taken meanwhile, the new thread's counted waiters would have been found instead).
  if (Atomics.load(table, base + E_STATE) !== token) return true;
  reportDead(token);
  return true;
}

/**
 * probe(), rate-limited per thread: at most one probe of a thread per PROBE_EVERY_MS, from all waiters together. A
 * thread busy in synchronous code cannot replace the life waiters probes claim, so each one it has not replaced
 * doubles that interval. Returns true when the thread is (now known to be) dead.
 */
export function probeIfDue(token: number): boolean {
  if (table === undefined || !inTable(token)) return false;
  const base = baseOf(token);
  if (Atomics.load(table, base + E_STATE) !== token) return true;
  const probedAt = Atomics.load(table, base + E_PROBED_AT);
  const now = clock();
  if (probedAt !== 0) {
    const unreplaced = Math.min(Math.max(LIFE_WAITERS - Atomics.load(table, base + E_LIFE), 0), 20);
    if (((now - probedAt) | 0) * 100 < PROBE_EVERY_MS * 2 ** unreplaced) return false;
  }
  // Of several waiters that find a probe due, the one whose exchange lands probes.
  if (Atomics.compareExchange(table, base + E_PROBED_AT, probedAt, now) !== probedAt) return false;
  return probe(token);
}

/** Deciseconds of the wall clock as a wrapping, odd (so never 0) Int32: comparable across threads, unlike performance.now(). */
function clock(): number {
  return (Math.floor(Date.now() / 100) | 1) | 0;
}

/**
 * Takes an entry for this thread. Next fit from a shared cursor: an entry freed by a death is taken again only after
 * every other entry had its turn. When every entry is held by a thread marked alive, entries of threads that ended
 * unreported are found by probing them; if none has, the thread cannot be named in a lock word and loading fails.
 */
function register(t: Int32Array<SharedArrayBuffer>, threadId: number, name: string | undefined, parent: number): number {
  for (let pass = 0; pass < 2; pass++) {
    for (let n = 1; n < CAPACITY; n++) {
      const slot = 1 + ((Atomics.add(t, H_CURSOR, 1) >>> 0) % (CAPACITY - 1));
      const base = slot * ENTRY_SLOTS;
      const seen = Atomics.load(t, base + E_STATE);
      if (seen > 0) continue;
      const generation = seen === 0 ? 1 : (generationOf(-seen) % GENERATIONS) + 1;
      const token = (generation << SLOT_BITS) | slot;
      if (Atomics.compareExchange(t, base + E_STATE, seen, REGISTERING) !== seen) continue;
      // The fields are the dead thread's until the token is published: a death of its parent must not reach us.
      Atomics.store(t, base + E_THREAD, threadId);
      Atomics.store(t, base + E_PARENT, parent);
      Atomics.store(t, base + E_LIFE, 0);
      Atomics.store(t, base + E_PROBED_AT, 0);
      writeName(slot, name);
      Atomics.store(t, base + E_STATE, token);
      return token;
    }
    for (let base = ENTRY_SLOTS; base < TABLE_BYTES / 4; base += ENTRY_SLOTS) {
      const token = Atomics.load(t, base + E_STATE);
      if (token > 0 && token <= TOKEN_MASK) probe(token);
    }
  }
  throw new RangeError(`@deadbolt/runtime: more than ${CAPACITY - 1} threads have the runtime loaded at once; this thread cannot be named as a lock owner`);
}

/** What every copy of the runtime loaded in one thread shares (two copies must name the thread alike). */
interface ThisThread {
  token: number;
  stayFindable(): void;
}

const THIS_THREAD_KEY = Symbol.for('deadbolt.thisThread.v2');

function thisThread(): ThisThread {
  const existing = (globalThis as Record<symbol, unknown>)[THIS_THREAD_KEY] as ThisThread | undefined;
  if (existing !== undefined) return existing;
  let record: ThisThread;
  if (table === undefined || workerThreads === undefined) {
    // No table: a random token outside every table's tokens (two such threads share one with odds of about 1 in 2^27),
    // which isDead never calls dead, neither here nor in a thread that has a table.
    record = { token: OUTSIDE + Math.floor(Math.random() * OUTSIDE), stayFindable: () => {} };
  } else {
    const inherited: unknown = workerThreads.getEnvironmentData(PARENT_KEY);
    const token = register(table, workerThreads.threadId, workerThreads.threadName, typeof inherited === 'number' ? inherited : 0);
    workerThreads.setEnvironmentData(PARENT_KEY, token);
    record = { token, stayFindable: lifeWaiters(table, baseOf(token)) };
  }
  (globalThis as Record<symbol, unknown>)[THIS_THREAD_KEY] = record;
  return record;
}

/**
 * Parks this thread's life waiters and returns the function that tops them up. A waiter is counted only after it is
 * parked, so a probe's claim always has a waiter to find while the thread lives. A claimed waiter is replaced when its
 * promise settles (this thread's event loop ran) or when a runtime wait calls stayFindable (it cannot run).
 *
 * An engine without Atomics.waitAsync parks none: a probe works by the count notify returns, which polling cannot
 * give, and a probe finding no counted waiter answers "alive". Such a thread's death is known only when reported.
 */
function lifeWaiters(t: Int32Array<SharedArrayBuffer>, base: number): () => void {
  if (!hasWaitAsync) return () => {};
  const topUp = (): void => {
    while (Atomics.load(t, base + E_LIFE) < LIFE_WAITERS) {
      const wait = Atomics.waitAsync(t, base + E_LIFE_WAKE, 0);
      Atomics.add(t, base + E_LIFE, 1);
      void (wait.value as Promise<unknown>).then(topUp);
    }
  };
  topUp();
  return topUp;
}

const self = thisThread();

/** The calling thread as lock words and holder rows name it. */
export const threadToken: number = self.token;

/** Called by a runtime wait that wakes while its thread's event loop cannot run, so probes keep finding it alive. */
export const stayFindable: () => void = self.stayFindable;

/** How many entries name a thread not known dead: live threads, and any whose death went unreported. */
export function entriesInUse(): number {
  if (table === undefined) return 0;
  let n = 0;
  for (let base = ENTRY_SLOTS; base < TABLE_BYTES / 4; base += ENTRY_SLOTS) {
    const state = Atomics.load(table, base + E_STATE);
    if (state > 0) n++;
  }
  return n;
}
