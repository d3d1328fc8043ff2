/**
 * Entry point of `npm run bench -w runtime`: runs every runtime benchmark, prints each figure as it is measured,
 * then a summary of the goals with the ratio and whether each is met. Figures only; nothing here asserts.
 */
import os from 'node:os';
import { pingPong, slowPathRates, throughput } from './contention.js';
import { formatNs, printGoals, type GoalRow } from './harness.js';
import { uncontended, uncontendedAsync } from './uncontended.js';

const TRIALS = 7;
const THROUGHPUT_ITERATIONS = 100_000;
const WORK_STEPS = 100;
const HANDOFFS = 1_000;

async function main(): Promise<void> {
  console.log(`Deadbolt runtime benchmarks: Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model}, load ${os.loadavg()[0]!.toFixed(2)}`);
  const rows: GoalRow[] = [];

  console.log('\nUncontended lock+unlock (one thread, median of 11 interleaved rounds)');
  const u = uncontended();
  console.log(`  bare compareExchange + store        ${formatNs(u.bare.nsPerOp)}`);
  console.log(`  bare, exchange to unlock            ${formatNs(u.bareExchange.nsPerOp)}`);
  console.log(`  bare, exchange + owner slot         ${formatNs(u.bareWithOwner.nsPerOp)}`);
  console.log(`  mutex.lock(); mutex.unlock()        ${formatNs(u.lockUnlock.nsPerOp)}`);
  console.log(`  mutex.lock().unlock() (guard)       ${formatNs(u.guardUnlock.nsPerOp)}`);
  console.log(`  mutex.tryLock(); mutex.unlock()     ${formatNs(u.tryLockUnlock.nsPerOp)}`);
  const uRatio = u.lockUnlock.nsPerOp / u.bare.nsPerOp;
  rows.push({
    name: 'uncontended lock+unlock vs bare CAS+store',
    figure: `${formatNs(u.lockUnlock.nsPerOp)} vs ${formatNs(u.bare.nsPerOp)}`,
    ratio: uRatio,
    goal: '<= 1.1x',
    met: uRatio <= 1.1,
  });

  console.log(`\nContended throughput (2 workers, ${WORK_STEPS} loop steps outside the lock, median of ${TRIALS} alternating trials)`);
  const t = await throughput(TRIALS, THROUGHPUT_ITERATIONS, WORK_STEPS);
  console.log(`  futex baseline   ${(t.futex / 1e6).toFixed(3)} M ops/s`);
  console.log(`  deadbolt Mutex   ${(t.deadbolt / 1e6).toFixed(3)} M ops/s`);
  const slow = await slowPathRates(3, THROUGHPUT_ITERATIONS, WORK_STEPS);
  console.log(`  lock() calls that found the lock taken, per 1000 (untimed diagnostic run):`);
  console.log(`    futex ${slow.futex.toFixed(1)}, deadbolt ${slow.deadbolt.toFixed(1)}`);
  const tRatio = t.deadbolt / t.futex;
  rows.push({
    name: 'contended throughput vs futex mutex',
    figure: `${(t.deadbolt / 1e6).toFixed(3)} vs ${(t.futex / 1e6).toFixed(3)} M ops/s`,
    ratio: tRatio,
    goal: '>= 1.1x',
    met: tRatio >= 1.1,
  });

  console.log(`\nStrict hand-off, ping-pong between 2 workers (median of ${TRIALS} alternating trials)`);
  const p = await pingPong(TRIALS, HANDOFFS);
  console.log(`  futex baseline   ${formatNs(p.futex)} per hand-off`);
  console.log(`  deadbolt Mutex   ${formatNs(p.deadbolt)} per hand-off`);
  const pRatio = p.deadbolt / p.futex;
  rows.push({
    name: 'hand-off latency vs futex mutex',
    figure: `${formatNs(p.deadbolt)} vs ${formatNs(p.futex)}`,
    ratio: pRatio,
    goal: '<= 1.0x',
    met: pRatio <= 1.0,
  });

  console.log('\nUncontended async lock');
  const a = await uncontendedAsync();
  console.log(`  await of a resolved promise (floor) ${formatNs(a.awaitFloor.nsPerOp)}`);
  console.log(`  await mutex.lockAsync(); unlock()   ${formatNs(a.deadbolt.nsPerOp)}`);
  console.log(`  async-mutex acquire(); release()    ${formatNs(a.asyncMutex.nsPerOp)}`);
  rows.push({
    name: 'uncontended lockAsync+unlock',
    figure: `${formatNs(a.deadbolt.nsPerOp)} (async-mutex ${formatNs(a.asyncMutex.nsPerOp)})`,
    ratio: a.deadbolt.nsPerOp / 100,
    goal: '<= 100 ns; ratio is to 100 ns',
    met: a.deadbolt.nsPerOp <= 100,
  });

  printGoals(rows);
}

await main();
