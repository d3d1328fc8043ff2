/**
 * Contended benchmarks: two workers sharing one lock, comparing Deadbolt's Mutex with the futex baseline.
 * Throughput counts critical sections per second with ~100 loop steps of work between them; ping-pong measures
 * the time for the lock to pass to the other worker when only that worker can make progress.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Mutex } from '../src/index.js';
import { SHARED_INT32S, S_COUNTER, S_GO, S_READY, type ContentionJob } from './contention-layout.js';
import { median } from './harness.js';

const WORKER_URL = new URL('./contention-worker.js', import.meta.url);

interface WorkerReport {
  start: number;
  end: number;
  slowPaths: number;
}

/** Runs one trial with two fresh workers and returns its wall time in ms and the protected counter's final value. */
async function trial(
  kind: ContentionJob['kind'],
  mode: ContentionJob['mode'],
  iterations: number,
  work: number,
  countSlowPaths = false,
) {
  const shared = new SharedArrayBuffer(SHARED_INT32S * 4);
  const control = new Int32Array(shared);
  const base = {
    kind,
    mode,
    iterations,
    work,
    countSlowPaths,
    shared,
    futexCell: new SharedArrayBuffer(4),
    mutexHandle: new Mutex({ name: 'bench' }).handle,
  };
  const workers = [0, 1].map((id) => new Worker(WORKER_URL, { workerData: { ...base, id } satisfies ContentionJob }));
  try {
    const reports = workers.map((w) => once(w, 'message').then(([m]) => m as WorkerReport));
    // Wait (asynchronously, so worker start-up messages still flow) until both workers are parked on the go flag.
    while (Atomics.load(control, S_READY) < 2) {
      await Atomics.waitAsync(control, S_READY, Atomics.load(control, S_READY)).value;
    }
    Atomics.store(control, S_GO, 1);
    Atomics.notify(control, S_GO);
    const done = await Promise.all(reports);
    const ms = Math.max(...done.map((r) => r.end)) - Math.min(...done.map((r) => r.start));
    const slowPaths = done.reduce((sum, r) => sum + r.slowPaths, 0);
    return { ms, counter: Atomics.load(control, S_COUNTER), slowPaths };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}


type Kind = ContentionJob['kind'];

/** A figure per kind over all trials: the median (what goals are judged on) and every trial's value. */
export interface TrialFigures {
  futex: number;
  deadbolt: number;
  all: Record<Kind, number[]>;
}

/**
 * Runs `trials` trials of each kind, alternating which kind goes first, so both meet the same background load;
 * returns the median of `figure(ms, counter)` per kind, and every trial's figure (on a loaded machine the best
 * trial is the one least disturbed by descheduling, the closest to what an idle machine would show).
 */
async function alternate(
  mode: ContentionJob['mode'],
  trials: number,
  iterations: number,
  work: number,
  figure: (ms: number, counter: number) => number,
): Promise<TrialFigures> {
  const kinds: Kind[] = ['futex', 'deadbolt'];
  for (const kind of kinds) await trial(kind, mode, Math.ceil(iterations / 10), work); // warm-up
  const figures: Record<Kind, number[]> = { futex: [], deadbolt: [] };
  for (let t = 0; t < trials; t++) {
    for (const kind of t % 2 === 0 ? kinds : [...kinds].reverse()) {
      const { ms, counter } = await trial(kind, mode, iterations, work);
      if (counter !== 2 * iterations) throw new Error(`${kind} ${mode}: counter ${counter}, expected ${2 * iterations}`);
      figures[kind].push(figure(ms, counter));
    }
  }
  return { futex: median(figures.futex), deadbolt: median(figures.deadbolt), all: figures };
}

/** Median critical sections per second, both workers together. */
export function throughput(trials: number, iterations: number, work: number): Promise<TrialFigures> {
  return alternate('throughput', trials, iterations, work, (ms, counter) => (counter / ms) * 1000);
}

/** Median nanoseconds per hand-off. */
export function pingPong(trials: number, handoffsPerWorker: number): Promise<TrialFigures> {
  return alternate('pingpong', trials, handoffsPerWorker, 0, (ms, counter) => (ms * 1e6) / counter);
}

/**
 * Diagnostic, untimed: the share of lock() calls that miss the fast path (lock already taken) in the throughput
 * loop, per 1000 locks, median of `trials`. Shows whether a difference in throughput comes from sleeping more.
 */
export async function slowPathRates(trials: number, iterations: number, work: number): Promise<Record<Kind, number>> {
  const rates: Record<Kind, number[]> = { futex: [], deadbolt: [] };
  for (let t = 0; t < trials; t++) {
    for (const kind of ['futex', 'deadbolt'] as const) {
      const { counter, slowPaths } = await trial(kind, 'throughput', iterations, work, true);
      rates[kind].push((slowPaths / counter) * 1000);
    }
  }
  return { futex: median(rates.futex), deadbolt: median(rates.deadbolt) };
}
