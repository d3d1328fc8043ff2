/**
 * What engines without Atomics.waitAsync pay: the hand-off latency of lockAsync, from the holder's unlock to the
 * waiter holding the lock, with the engine's waitAsync and with the polling stand-in (wait-async.ts), for locks held
 * for different times (the stand-in's poll interval grows with the wait, up to its cap). Run alone with
 * `node dist/bench/no-wait-async.js`.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Mutex } from '../src/index.js';
import type { HandoffJob } from './no-wait-async-worker.js';
import { median } from './harness.js';

export const HOLD_MS = [1, 10, 100];
const ROUNDS = 25;

export interface HandoffFigures {
  holdMs: number;
  /** Median and largest hand-off latency in ms, over ROUNDS rounds. */
  native: { median: number; max: number };
  polling: { median: number; max: number };
}

/** Runs ROUNDS hand-offs to one worker, the lock held `holdMs` each time; returns the latencies in ms. */
async function handoffs(polling: boolean, holdMs: number): Promise<number[]> {
  const mutex = new Mutex({ name: 'handoff' });
  const releasedAt = new Float64Array(new SharedArrayBuffer(8));
  const job: HandoffJob = { polling, mutex: mutex.handle, releasedAt: releasedAt.buffer };
  const worker = new Worker(fileURLToPath(new URL('./no-wait-async-worker.js', import.meta.url)), { workerData: job });
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: unknown) => (messages.push(m), wake?.()));
  const next = async (): Promise<unknown> => {
    while (messages.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return messages.shift();
  };
  try {
    await next(); // ready
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      mutex.lock();
      worker.postMessage('go');
      await next(); // waiting
      await sleep(holdMs);
      releasedAt[0] = performance.timeOrigin + performance.now();
      mutex.unlock();
      latencies.push((await next()) as number);
    }
    return latencies;
  } finally {
    await worker.terminate();
  }
}

export async function handoffLatency(): Promise<HandoffFigures[]> {
  const rows: HandoffFigures[] = [];
  for (const holdMs of HOLD_MS) {
    const native = await handoffs(false, holdMs);
    const polling = await handoffs(true, holdMs);
    rows.push({
      holdMs,
      native: { median: median(native), max: Math.max(...native) },
      polling: { median: median(polling), max: Math.max(...polling) },
    });
  }
  return rows;
}

export function printHandoffs(rows: HandoffFigures[]): void {
  const ms = (n: number): string => `${n.toFixed(2)} ms`;
  for (const r of rows) {
    console.log(`  held ${String(r.holdMs).padStart(3)} ms: waitAsync median ${ms(r.native.median)} (max ${ms(r.native.max)}), polling median ${ms(r.polling.median)} (max ${ms(r.polling.max)})`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`lockAsync hand-off latency, unlock to lock held in another thread (${ROUNDS} rounds per row)`);
  printHandoffs(await handoffLatency());
}
