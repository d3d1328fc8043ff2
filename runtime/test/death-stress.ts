/**
 * The stress command for owner deaths: `npm run stress -w runtime` runs every scenario of death-scenarios.ts 100 times
 * with real workers and prints, per scenario, how many trials ended well, wedged (a waiter timed out) or wrong, and
 * how long the waiters took to hear of the death. Options: `--trials N`, `--only <text in a scenario's name>`,
 * `--runtime <path to a build's index.js>` to measure another build (for example main's) the same way, and
 * `--threads N` to first start N threads that load the runtime and exit (the thread table must not fill), then run
 * one trial of the first scenarios.
 */
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type * as Runtime from '../src/index.js';
import { churnThreads, runTrials, scenarios, Stage, WAIT_MS } from './death-scenarios.js';

const { values } = parseArgs({
  options: { trials: { type: 'string', default: '100' }, only: { type: 'string' }, runtime: { type: 'string' }, threads: { type: 'string' } },
});
const trials = Number(values.trials);
const runtime = values.runtime === undefined ? new URL('../src/index.js', import.meta.url).href : pathToFileURL(values.runtime).href;
const rt = (await import(runtime)) as typeof Runtime;
const stage = new Stage(rt, runtime);

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

console.log(`Owner-death scenarios: ${trials} trials each, runtime ${runtime}`);
console.log(`Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}; a waiter gives up after ${WAIT_MS} ms (wedged)\n`);
if (values.threads !== undefined) {
  const count = Number(values.threads);
  const start = performance.now();
  const timer = setInterval(() => console.log(`  ... ${((performance.now() - start) / 1000).toFixed(0)} s`), 60_000);
  await churnThreads(runtime, count, 2);
  clearInterval(timer);
  console.log(`${count} threads loaded the runtime and exited in ${((performance.now() - start) / 1000).toFixed(0)} s; then:\n`);
}
console.log('| scenario (real workers) | ok | wedged | wrong | ms to answer, median / max |');
console.log('|---|---|---|---|---|');
let failed = 0;
try {
  for (const scenario of scenarios) {
    if (values.only !== undefined && !scenario.name.includes(values.only)) continue;
    const tally = await runTrials(stage, scenario, trials);
    failed += tally.wedged + tally.wrong;
    const timing = tally.ms.length === 0 ? '-' : `${percentile(tally.ms, 50).toFixed(0)} / ${Math.max(...tally.ms).toFixed(0)}`;
    console.log(`| ${scenario.name} | ${tally.ok} | ${tally.wedged} | ${tally.wrong} | ${timing} |`);
    for (const failure of tally.failures.slice(0, 3)) console.log(`|   ${failure.replaceAll('|', '/')} | | | | |`);
  }
} finally {
  await stage.close();
}
process.exitCode = failed === 0 ? 0 : 1;
