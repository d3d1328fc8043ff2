/**
 * Figures for deadbolt-dap: deadlock detection latency (from the moment the closing wait began, as stamped in the
 * trace, to the `stopped` event at a DebugClient), and the cost of tracing on lock loops (traced / untraced).
 * `runDapBenchmark()` is called by bench/run.ts; `node server/dist/bench/dap.js` runs it alone.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TRACE_ENV } from '@deadbolt/runtime/trace';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { LiveLockGraph } from '../src/protocol/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ADAPTER = resolve(ROOT, 'server/bin/deadbolt-dap.js');
const PRELOAD = resolve(ROOT, 'runtime/dist/src/trace/preload.js');
const LOOPS = resolve(ROOT, 'test-fixtures/dist/programs/lock-loops.js');
const DEADLOCK = resolve(ROOT, 'test-fixtures/dist/programs/opposite-order.js');

export interface DapFigures {
  detectionMs: { runs: number[]; median: number };
  overhead: { uncontended: LoopFigures; contended: LoopFigures };
}

interface LoopFigures {
  untracedNs: number;
  tracedNs: number;
  ratio: number;
}

export async function runDapBenchmark(options: { latencyRuns?: number; loopRounds?: number } = {}): Promise<DapFigures> {
  const runs: number[] = [];
  for (let i = 0; i < (options.latencyRuns ?? 10); i++) runs.push(await detectionLatency());
  const detectionMs = { runs, median: median(runs) };
  console.log(`dap: deadlock detection latency, closing wait -> stopped: median ${detectionMs.median.toFixed(1)} ms over ${runs.length} runs (goal <= 50 ms); runs ${runs.map((r) => r.toFixed(1)).join(', ')}`);
  const rounds = options.loopRounds ?? 5;
  const uncontended = await loopOverhead('uncontended', 2_000_000, rounds);
  console.log(`dap: tracing overhead, uncontended lock/unlock: ${uncontended.untracedNs.toFixed(0)} ns -> ${uncontended.tracedNs.toFixed(0)} ns per pair, ${uncontended.ratio.toFixed(2)}x (goal <= 2x)`);
  const contended = await loopOverhead('contended', 300_000, rounds);
  console.log(`dap: tracing overhead, 2-worker contended critical sections (~100 steps of work apart): ${contended.untracedNs.toFixed(0)} ns -> ${contended.tracedNs.toFixed(0)} ns per pair, ${contended.ratio.toFixed(2)}x (goal <= 1.3x)`);
  return { detectionMs, overhead: { uncontended, contended } };
}

/** One adapter session on the opposite-order deadlock; ms from the later of the two cycle waits to `stopped`. */
async function detectionLatency(): Promise<number> {
  const client = new DebugClient('node', ADAPTER, 'deadbolt');
  await client.start();
  try {
    let stoppedAt = 0;
    const stopped = new Promise<void>((done) =>
      client.once('stopped', () => {
        stoppedAt = performance.timeOrigin + performance.now();
        done();
      }),
    );
    const graph = new Promise<LiveLockGraph>((done) => {
      const listener = (e: { body: LiveLockGraph }) => {
        if (e.body.deadlock) {
          client.removeListener('deadbolt/lockGraph', listener);
          done(e.body);
        }
      };
      client.on('deadbolt/lockGraph', listener);
    });
    await client.launch({ program: DEADLOCK });
    await stopped;
    const live = await graph;
    const inCycle = new Set(live.cycles.flatMap((c) => c.threads));
    const closing = Math.max(...live.threads.filter((t) => inCycle.has(t.id)).map((t) => t.waitingSince ?? Number.NaN));
    return stoppedAt - closing;
  } finally {
    await client.stop();
  }
}

/** Alternates untraced and traced runs of one loop, `rounds` each, and compares the medians. */
async function loopOverhead(mode: string, ops: number, rounds: number): Promise<LoopFigures> {
  const untraced: number[] = [];
  const traced: number[] = [];
  for (let i = 0; i < rounds; i++) {
    untraced.push(await runLoop(mode, ops, false));
    traced.push(await runLoop(mode, ops, true));
  }
  const untracedNs = median(untraced);
  const tracedNs = median(traced);
  return { untracedNs, tracedNs, ratio: tracedNs / untracedNs };
}

function runLoop(mode: string, ops: number, traced: boolean): Promise<number> {
  const env = { ...process.env };
  delete env[TRACE_ENV];
  if (traced) env[TRACE_ENV] = 'fd:3';
  const args = traced ? ['--import', PRELOAD, LOOPS, mode, String(ops)] : [LOOPS, mode, String(ops)];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
  // Read the trace channel as the adapter would, so the collector is never held up by a full pipe.
  (child.stdio[3] as Readable).resume();
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((done, fail) =>
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`lock-loops ${mode} exited with ${code}`));
      else done((JSON.parse(out.trim()) as { ns: number }).ns);
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDapBenchmark();
}
