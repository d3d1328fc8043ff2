/**
 * What waiting costs when nothing happens: WAITERS threads waiting on a lock this thread holds, in Mutex.lock() and in
 * Mutex.lockAsync(), against the same threads in a bare Atomics.wait and a bare Atomics.waitAsync (the floors of a
 * blocked and of an async waiter). Each waiter's thread CPU is read (thread-cpu.ts) over two windows of WINDOW_MS:
 * the first seconds of the wait, when a waiter's own looks come quickly, and a long idle wait, from STEADY_MS on;
 * so is the holder's (this thread; probes wake it) and, for the long wait, the whole process's. Figures are CPU
 * milliseconds per second. Run alone with `node dist/bench/idle.js [--runtime <path to a build's index.js>]` to
 * measure another build the same way.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type * as Runtime from '../src/index.js';
import type { IdleJob } from './idle-worker.js';
import { median } from './harness.js';
import { threadCpuNs } from './thread-cpu.js';

export const WAITERS = 8;
export const WINDOW_MS = 10_000;
/** When the long-wait window starts: past a waiter's first looks, which double up to 30 s apart (liveness.ts). */
export const STEADY_MS = 35_000;

export type IdleMode = IdleJob['mode'];

export interface IdleFigures {
  /** Median over the waiters of each one's thread CPU in the first WINDOW_MS of the wait, ms per second. */
  waiterFirst: number | undefined;
  /** The same from STEADY_MS on (undefined: not measurable here). */
  waiter: number | undefined;
  /** The holder's (this) thread from STEADY_MS on, ms per second. */
  holder: number | undefined;
  /** The whole process from STEADY_MS on, ms per second, divided by the waiters. */
  processPerWaiter: number;
}

/** The figures for each mode, one build. */
export async function idleCost(runtime: string): Promise<Record<IdleMode, IdleFigures>> {
  const rt = (await import(runtime)) as typeof Runtime;
  const result = {} as Record<IdleMode, IdleFigures>;
  for (const mode of ['bare', 'bareAsync', 'lock', 'lockAsync'] as const) result[mode] = await measure(rt, runtime, mode);
  return result;
}

async function measure(rt: typeof Runtime, runtime: string, mode: IdleMode): Promise<IdleFigures> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const mutex = new rt.Mutex({ name: 'bench-idle' });
  mutex.lock();
  const workers: Worker[] = [];
  const paths: (string | undefined)[] = [];
  const done: Promise<unknown>[] = [];
  for (let i = 0; i < WAITERS; i++) {
    const job: IdleJob = { runtime, mode, gate: gate.buffer, mutex: mutex.handle };
    const worker = new Worker(new URL('./idle-worker.js', import.meta.url), { workerData: job });
    workers.push(worker);
    const messages = nextMessages(worker);
    paths.push(((await messages.next()) as { waiting: string | undefined }).waiting);
    done.push(messages.next());
  }
  const startedAt = performance.now();
  const firstBefore = paths.map((p) => threadCpuNs(p));
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const firstAfter = paths.map((p) => threadCpuNs(p));
  await new Promise((resolve) => setTimeout(resolve, STEADY_MS - (performance.now() - startedAt)));
  const waitersBefore = paths.map((p) => threadCpuNs(p));
  const holderBefore = threadCpuNs();
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const used = process.cpuUsage(before);
  const holderAfter = threadCpuNs();
  const waitersAfter = paths.map((p) => threadCpuNs(p));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  mutex.unlock();
  await Promise.all(done);
  await Promise.all(workers.map((w) => w.terminate()));
  const seconds = WINDOW_MS / 1000;
  const perSecond = (before: (number | undefined)[], after: (number | undefined)[]): number | undefined => {
    const each = before.map((b, i) => (b === undefined || after[i] === undefined ? undefined : (after[i]! - b) / 1e6 / seconds));
    return each.includes(undefined) ? undefined : median(each as number[]);
  };
  return {
    waiterFirst: perSecond(firstBefore, firstAfter),
    waiter: perSecond(waitersBefore, waitersAfter),
    holder: holderBefore === undefined || holderAfter === undefined ? undefined : (holderAfter - holderBefore) / 1e6 / seconds,
    processPerWaiter: (used.user + used.system) / 1000 / seconds / WAITERS,
  };
}

/** The worker's messages in order, each read once. */
function nextMessages(worker: Worker): { next(): Promise<unknown> } {
  const queue: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  worker.on('message', (m: unknown) => {
    const resolve = waiting.shift();
    if (resolve !== undefined) resolve(m);
    else queue.push(m);
  });
  return {
    next: () =>
      new Promise((resolve, reject) => {
        worker.once('error', reject);
        if (queue.length > 0) resolve(queue.shift());
        else waiting.push(resolve);
      }),
  };
}

const ms = (x: number | undefined): string => (x === undefined ? '   n/a' : x.toFixed(3).padStart(6));

/** Prints one build's idle costs. */
export function printIdle(cost: Record<IdleMode, IdleFigures>): void {
  console.log(`                                   waiter thread, first ${WINDOW_MS / 1000} s | from ${STEADY_MS / 1000} s: waiter thread, holder thread, process / waiter (CPU ms per s)`);
  const row = (label: string, f: IdleFigures): void => {
    console.log(`  ${label.padEnd(32)} ${ms(f.waiterFirst)}                    ${ms(f.waiter)}          ${ms(f.holder)}          ${ms(f.processPerWaiter)}`);
  };
  row('bare Atomics.wait (floor)', cost.bare);
  row('mutex.lock()', cost.lock);
  row('bare Atomics.waitAsync (floor)', cost.bareAsync);
  row('await mutex.lockAsync()', cost.lockAsync);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runtime: { type: 'string' } } });
  const runtime = values.runtime === undefined ? new URL('../src/index.js', import.meta.url).href : pathToFileURL(values.runtime).href;
  console.log(`Idle waiters: ${WAITERS} threads waiting on a lock this thread holds, runtime ${runtime}`);
  printIdle(await idleCost(runtime));
}
