// A Web Worker the Chromium suite starts with startWorker, so it shares the page's runtime context (its thread id and
// name, the thread table, checked mode's graph). It runs one scenario per message and replies { id, ok, value | error }.
// It is served as it is (importing /runtime.js) and bundled with the runtime by esbuild, plain and minified.
// Every wait has a timeout, so a broken primitive ends in an error the page reports, never a hang.
import * as d from '/runtime.js';
import { serveScenarios } from './serve-scenarios.js';

const T = { timeout: 60_000 };
/** The workers this worker started (spawn), by name. */
const children = new Map();

/** What an error says, for the page (and the Node side) to assert on. */
function described(error) {
  return { name: error.name, message: error.message, recorded: error.recorded?.map((step) => step.thread), attempted: error.attempted?.thread };
}

function waitFor(flags, index, what, ms = T.timeout) {
  if (Atomics.wait(flags, index, 0, ms) === 'timed-out') throw new Error(`${what} did not happen within ${ms} ms`);
}

function signal(flags, index) {
  Atomics.store(flags, index, 1);
  Atomics.notify(flags, index);
}

/** The user's own call sites, named in checked mode's messages: they must not read "unknown location". */
function takeFirst(mutex) {
  mutex.lock(T);
}

function takeSecond(mutex, timeout) {
  mutex.lock({ timeout });
}

const scenarios = {
  /**
   * Takes a, lets the other worker take b, then takes b: one half of an opposite-order deadlock. Timed out, it keeps a
   * until the other worker is done, so that one times out too (the deadlock is real, not a race one of them wins).
   */
  first({ a, b, flags, timeout }) {
    const [ma, mb, f] = [d.Mutex.from(a), d.Mutex.from(b), new Int32Array(flags)];
    takeFirst(ma);
    signal(f, 0);
    waitFor(f, 1, 'the other worker taking b');
    signal(f, 2);
    let outcome;
    try {
      takeSecond(mb, timeout);
      mb.unlock();
      outcome = 'taken';
    } catch (error) {
      outcome = described(error);
    }
    if (outcome.name === 'TimeoutError') waitFor(f, 3, 'the other worker finishing');
    ma.unlock();
    return outcome;
  },
  /** Takes b once the other worker holds a, then a once it is (about to be) waiting for b: the other half. */
  second({ a, b, flags, timeout }) {
    const [ma, mb, f] = [d.Mutex.from(a), d.Mutex.from(b), new Int32Array(flags)];
    waitFor(f, 0, 'the other worker taking a');
    takeFirst(mb);
    signal(f, 1);
    waitFor(f, 2, 'the other worker going for b');
    // Let the other worker reach its lock(b): it records a -> b before it sleeps.
    Atomics.wait(f, 4, 0, 200);
    try {
      takeSecond(ma, timeout);
      ma.unlock();
      return 'taken';
    } catch (error) {
      return described(error);
    } finally {
      mb.unlock();
      signal(f, 3);
    }
  },
  /** Takes the mutex and replies; then holds it until terminated (or 60 s). */
  hold({ mutex, flags }, reply) {
    d.Mutex.from(mutex).lock(T);
    reply('held');
    Atomics.wait(new Int32Array(flags), 0, 0, T.timeout);
  },
  /** Waits for a mutex another thread holds; an owner's death is repaired (markConsistent) and passed on. */
  wait({ mutex }) {
    const m = d.Mutex.from(mutex);
    try {
      m.lock(T);
      m.unlock();
      return 'taken';
    } catch (error) {
      if (error instanceof d.OwnerDiedError) {
        m.markConsistent();
        m.unlock();
      }
      return described(error);
    }
  },
  /**
   * Takes the mutex, replies, waits for the page's signal, then ends itself with self.close() still holding it: the
   * worker ends once this task returns, with no terminate() from anyone.
   */
  holdAndClose({ mutex, flags }, reply) {
    d.Mutex.from(mutex).lock(T);
    reply('held');
    waitFor(new Int32Array(flags), 0, 'the signal to close');
    self.close();
  },
  /**
   * Starts a worker of its own with startWorker (the same module) and relays between it and `port`, so the page can
   * call the grandchild as it calls its own workers.
   */
  spawn({ url, name, port }) {
    const child = d.startWorker(url, { name });
    children.set(name, child);
    port.onmessage = ({ data }) => child.postMessage(data);
    child.addEventListener('message', ({ data }) => port.postMessage(data));
    return 'started';
  },
  /** Terminates a worker this worker started (spawn). */
  terminateChild({ name }) {
    children.get(name).terminate();
    return 'terminated';
  },
  /** Unlocks a mutex this worker does not hold. */
  unlockOther({ mutex }) {
    try {
      d.Mutex.from(mutex).unlock();
      return 'no error';
    } catch (error) {
      return described(error);
    }
  },
};

serveScenarios(scenarios);
