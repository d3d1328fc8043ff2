/**
 * How often a potential deadlock is reported: the tellers program (two workers taking two locks in opposite orders,
 * started together) runs 20 times under deadbolt-dap, and the figures say in how many runs the hazard was reported,
 * and how many of those runs deadlocked or finished. For comparison, the same program runs 20 times untraced.
 * `runPotentialDeadlockBenchmark()` is called by bench/run.ts; `node server/dist/bench/potential-deadlock.js` runs it alone.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ADAPTER = resolve(ROOT, 'server/bin/deadbolt-dap.js');
const TELLERS = resolve(ROOT, 'test-fixtures/dist/programs/tellers.js');
/** A run that has neither ended nor stopped by then is counted as hung (and ended). */
const RUN_DEADLINE_MS = 60_000;
/** An untraced run still going after this long is deadlocked (a finishing run takes well under a second). */
const NATIVE_DEADLINE_MS = 5_000;

export interface PotentialDeadlockFigures {
  runs: number;
  reported: number;
  deadlocked: number;
  finished: number;
  hung: number;
  nativeDeadlocked: number;
}

export async function runPotentialDeadlockBenchmark(options: { runs?: number } = {}): Promise<PotentialDeadlockFigures> {
  const runs = options.runs ?? 20;
  const figures: PotentialDeadlockFigures = { runs, reported: 0, deadlocked: 0, finished: 0, hung: 0, nativeDeadlocked: 0 };
  for (let i = 0; i < runs; i++) {
    const outcome = await tracedRun();
    if (outcome.reported) figures.reported++;
    figures[outcome.end]++;
  }
  for (let i = 0; i < runs; i++) if (await nativeRunDeadlocks()) figures.nativeDeadlocked++;
  console.log(
    `potential deadlock: tellers (two workers, opposite lock orders) under deadbolt-dap: hazard reported in ${figures.reported} of ${runs} runs ` +
      `(goal ${runs} of ${runs}); ${figures.deadlocked} deadlocked, ${figures.finished} finished, ${figures.hung} hung; untraced, ${figures.nativeDeadlocked} of ${runs} runs deadlocked`,
  );
  return figures;
}

async function tracedRun(): Promise<{ reported: boolean; end: 'deadlocked' | 'finished' | 'hung' }> {
  const client = new DebugClient('node', ADAPTER, 'deadbolt');
  await client.start();
  let reported = false;
  client.on('output', (e: { body: { output: string } }) => {
    if (e.body.output.startsWith('Potential deadlock: ')) reported = true;
  });
  try {
    const end = new Promise<'deadlocked' | 'finished' | 'hung'>((done) => {
      const timer = setTimeout(() => done('hung'), RUN_DEADLINE_MS);
      client.once('stopped', () => (clearTimeout(timer), done('deadlocked')));
      client.once('terminated', () => (clearTimeout(timer), done('finished')));
    });
    await client.launch({ program: TELLERS });
    const outcome = await end;
    if (outcome !== 'finished') await client.terminateRequest().catch(() => undefined);
    return { reported, end: outcome };
  } finally {
    await client.stop();
  }
}

function nativeRunDeadlocks(): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [TELLERS], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(true);
    }, NATIVE_DEADLINE_MS);
    child.on('exit', () => {
      clearTimeout(timer);
      done(false);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runPotentialDeadlockBenchmark();
