/**
 * Timing helpers for the runtime benchmarks: warm up, repeat, and report the median, so one slow sample on a busy
 * machine does not decide a figure. Benchmarks print figures and goals; they never assert.
 */
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface LoopTiming {
  /** Median nanoseconds per operation over the measured repeats. */
  nsPerOp: number;
  samples: number[];
}

/**
 * Times `batch(n)`, which must run the measured operation n times in its own loop (so the call overhead of
 * `batch` is paid once per batch, not per operation). Warm-up batches let the JIT settle first.
 */
export function timeLoop(batch: (n: number) => void, n: number, repeats = 9, warmups = 3): LoopTiming {
  for (let i = 0; i < warmups; i++) batch(n);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    batch(n);
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  return { nsPerOp: median(samples), samples };
}

/**
 * Times several variants of one operation in interleaved rounds (each round runs every variant once), so a burst
 * of load from other processes hits all variants alike instead of skewing whichever ran during it.
 */
export function timeLoopsInterleaved<K extends string>(
  batches: Record<K, (n: number) => void>,
  n: number,
  rounds = 11,
  warmups = 3,
): Record<K, LoopTiming> {
  const names = Object.keys(batches) as K[];
  for (let i = 0; i < warmups; i++) for (const k of names) batches[k](n);
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const t0 = performance.now();
      batches[k](n);
      samples[k].push(((performance.now() - t0) * 1e6) / n);
    }
  }
  return Object.fromEntries(names.map((k) => [k, { nsPerOp: median(samples[k]), samples: samples[k] }])) as Record<K, LoopTiming>;
}

/** The async twin of `timeLoop`: `batch(n)` returns a promise that settles after n awaited operations. */
export async function timeLoopAsync(
  batch: (n: number) => Promise<void>,
  n: number,
  repeats = 9,
  warmups = 3,
): Promise<LoopTiming> {
  for (let i = 0; i < warmups; i++) await batch(n);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await batch(n);
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  return { nsPerOp: median(samples), samples };
}

/** A wall-clock instant comparable across threads (performance.now() alone counts from each thread's start). */
export function absoluteNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface GoalRow {
  name: string;
  figure: string;
  ratio: number;
  goal: string;
  met: boolean;
}

export function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

export function printGoals(rows: readonly GoalRow[]): void {
  console.log('\nSummary');
  for (const r of rows) {
    console.log(
      `  ${r.met ? 'MET   ' : 'MISSED'} ${r.name}: ${r.figure}; ratio ${r.ratio.toFixed(2)}x (goal ${r.goal})`,
    );
  }
}
