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
  /** Median nanoseconds of process CPU time per operation over the measured repeats. */
  nsPerOp: number;
  /** Per-repeat CPU nanoseconds per operation. */
  samples: number[];
  /** Median wall-clock nanoseconds per operation (includes time the thread sat descheduled by other load). */
  wallNsPerOp: number;
}

/**
 * CPU time this process has used, in nanoseconds. Single-threaded benchmarks are timed with it rather than the
 * wall clock: on a loaded machine a batch spends most of its wall time waiting for a core, which swamps a few-ns
 * difference; CPU time counts only the time the code actually ran. (Idle JIT and GC threads add next to nothing
 * once warmed up, and every variant pays them alike.)
 */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Median over rounds of a[i] / b[i]: the ratio of two variants timed back to back in the same round. */
export function pairedRatio(a: LoopTiming, b: LoopTiming): number {
  return median(a.samples.map((x, i) => x / b.samples[i]!));
}

/**
 * Times several variants of one operation in interleaved rounds (each round runs every variant once), so a burst
 * of load from other processes hits all variants alike instead of skewing whichever ran during it. Each
 * `batch(n)` must run the measured operation n times in its own loop (so the call overhead of `batch` is paid once
 * per batch); warm-up batches let the JIT settle first.
 */
export function timeLoopsInterleaved<K extends string>(
  batches: Record<K, (n: number) => void>,
  n: number,
  rounds = 11,
  warmups = 3,
): Record<K, LoopTiming> {
  const names = Object.keys(batches) as K[];
  for (let i = 0; i < warmups; i++) for (const k of names) batches[k](n);
  const cpu = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const wall = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const c0 = cpuNow();
      const t0 = performance.now();
      batches[k](n);
      wall[k].push(((performance.now() - t0) * 1e6) / n);
      cpu[k].push((cpuNow() - c0) / n);
    }
  }
  return Object.fromEntries(
    names.map((k) => [k, { nsPerOp: median(cpu[k]), samples: cpu[k], wallNsPerOp: median(wall[k]) }]),
  ) as Record<K, LoopTiming>;
}

/**
 * The async twin of `timeLoopsInterleaved`: each `batch(n)` returns a promise that settles after n operations.
 * `counts` gives a variant fewer operations per batch when it is much slower than the others.
 */
export async function timeLoopsInterleavedAsync<K extends string>(
  batches: Record<K, (n: number) => Promise<void>>,
  counts: Record<K, number>,
  rounds = 11,
  warmups = 3,
): Promise<Record<K, LoopTiming>> {
  const names = Object.keys(batches) as K[];
  for (let i = 0; i < warmups; i++) for (const k of names) await batches[k](counts[k]);
  const cpu = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const wall = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const n = counts[k];
      const c0 = cpuNow();
      const t0 = performance.now();
      await batches[k](n);
      wall[k].push(((performance.now() - t0) * 1e6) / n);
      cpu[k].push((cpuNow() - c0) / n);
    }
  }
  return Object.fromEntries(
    names.map((k) => [k, { nsPerOp: median(cpu[k]), samples: cpu[k], wallNsPerOp: median(wall[k]) }]),
  ) as Record<K, LoopTiming>;
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
