/**
 * What waiting costs when nothing happens: WAITERS threads waiting WINDOW_MS in a bare Atomics.wait and a bare
 * Atomics.waitAsync (the floors of a blocked and of an async waiter), in Mutex.lock() and in Mutex.lockAsync() on a
 * lock this thread holds. Each waiter measures its own thread's CPU
 * during its wait (thread-cpu.ts); the holder's thread is measured too (probes wake it), and the whole process with
 * process.cpuUsage(). Figures are CPU milliseconds per second. Run alone with `node dist/bench/idle.js [--runtime
 * <path to a build's index.js>]` to measure another build the same way.
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

export type IdleMode = IdleJob['mode'];

export interface IdleFigures {
  /** Median over the waiters of each one's own thread CPU, ms per second of waiting (undefined: not measurable here). */
  waiter: number | undefined;
  /** The holder's (this) thread, ms per second. */
  holder: number | undefined;
  /** The whole process, ms per second, divided by the waiters. */
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
  const reports: Promise<{ perSecond: number | undefined }>[] = [];
  for (let i = 0; i < WAITERS; i++) {
    const job: IdleJob = { runtime, mode, gate: gate.buffer, mutex: mutex.handle };
    const worker = new Worker(new URL('./idle-worker.js', import.meta.url), { workerData: job });
    workers.push(worker);
    const messages = nextMessages(worker);
    await messages.next();
    reports.push(messages.next() as Promise<{ perSecond: number | undefined }>);
  }
  const holderCpu = threadCpuNs();
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const used = process.cpuUsage(before);
  const holderEnd = threadCpuNs();
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  mutex.unlock();
  const perWaiter = (await Promise.all(reports)).map((r) => r.perSecond);
  await Promise.all(workers.map((w) => w.terminate()));
  const seconds = WINDOW_MS / 1000;
  return {
    waiter: perWaiter.includes(undefined) ? undefined : median(perWaiter as number[]),
    holder: holderCpu === undefined || holderEnd === undefined ? undefined : (holderEnd - holderCpu) / 1e6 / seconds,
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
  console.log('                                   waiter thread   holder thread   whole process / waiter   (CPU ms per s)');
  const row = (label: string, f: IdleFigures): void => {
    console.log(`  ${label.padEnd(32)} ${ms(f.waiter)}          ${ms(f.holder)}          ${ms(f.processPerWaiter)}`);
  };
  row('bare Atomics.wait (floor)', cost.bare);
  row('mutex.lock()', cost.lock);
  row('bare Atomics.waitAsync (floor)', cost.bareAsync);
  row('await mutex.lockAsync()', cost.lockAsync);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runtime: { type: 'string' } } });
  const runtime = values.runtime === undefined ? new URL('../src/index.js', import.meta.url).href : pathToFileURL(values.runtime).href;
  console.log(`Idle waiters: ${WAITERS} threads blocked ${WINDOW_MS / 1000} s on a lock held by this thread, runtime ${runtime}`);
  printIdle(await idleCost(runtime));
}
