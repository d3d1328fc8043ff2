/**
 * Entry point of `npm run bench -w runtime`: runs every runtime benchmark, prints each figure as it is measured,
 * then a summary of the goals with the ratio and whether each is met. Figures only; nothing here asserts.
 */
import os from 'node:os';
import { pingPong, slowPathRates, throughput } from './contention.js';
import { formatNs, pairedRatio, printGoals, type GoalRow, type LoopTiming } from './harness.js';
import { idleCost, printIdle, STEADY_MS, WAITERS } from './idle.js';
import { handoffLatency, printHandoffs } from './no-wait-async.js';
import { uncontended, uncontendedAsync, uncontendedSemaphore, uncontendedSemaphoreAsync } from './uncontended.js';

const TRIALS = 7;
const THROUGHPUT_ITERATIONS = 100_000;
const WORK_STEPS = 100;
// Long enough (about 0.1 s at 0.5 µs a hand-off) that the skew between the two workers waking from the start
// flag, tens of µs to a few ms, is a small part of a trial: at 1,000 hand-offs it was most of it, and the ratio
// swung from 0.1x to 20x between runs.
const HANDOFFS = 200_000;


async function main(): Promise<void> {
  console.log(`Deadbolt runtime benchmarks: Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model}, load ${os.loadavg()[0]!.toFixed(2)}`);
  const rows: GoalRow[] = [];

  console.log('\nUncontended lock+unlock (one thread, median of 15 interleaved rounds; CPU ns per op, wall ns in brackets)');
  const u = uncontended();
  const line = (label: string, t: LoopTiming): void => {
    console.log(`  ${label.padEnd(36)}${formatNs(t.nsPerOp).padStart(9)}  (${formatNs(t.wallNsPerOp)} wall)`);
  };
  line('bare compareExchange + store', u.bare);
  line('bare, exchange to unlock', u.bareExchange);
  line('bare, exchange + owner slot', u.bareWithOwner);
  line('mutex.lock(); mutex.unlock()', u.lockUnlock);
  line('mutex.lock().unlock() (guard)', u.guardUnlock);
  line('mutex.tryLock(); mutex.unlock()', u.tryLockUnlock);
  const uRatio = pairedRatio(u.lockUnlock, u.bare);
  console.log(`  lock+unlock / bare, median of per-round ratios: ${uRatio.toFixed(2)}x (guard ${pairedRatio(u.guardUnlock, u.bare).toFixed(2)}x)`);
  rows.push({
    name: 'uncontended lock+unlock vs bare CAS+store',
    figure: `${formatNs(u.lockUnlock.nsPerOp)} vs ${formatNs(u.bare.nsPerOp)} CPU`,
    ratio: uRatio,
    goal: '<= 1.1x',
    met: uRatio <= 1.1,
  });

  console.log(`\nContended throughput (2 workers, ${WORK_STEPS} loop steps outside the lock, median of ${TRIALS} alternating trials)`);
  const t = await throughput(TRIALS, THROUGHPUT_ITERATIONS, WORK_STEPS);
  console.log(`  futex baseline   ${(t.futex / 1e6).toFixed(3)} M ops/s`);
  console.log(`  deadbolt Mutex   ${(t.deadbolt / 1e6).toFixed(3)} M ops/s`);
  console.log(`  best trial: futex ${(Math.max(...t.all.futex) / 1e6).toFixed(3)}, deadbolt ${(Math.max(...t.all.deadbolt) / 1e6).toFixed(3)} M ops/s`);
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
  console.log(`  best trial: futex ${formatNs(Math.min(...p.all.futex))}, deadbolt ${formatNs(Math.min(...p.all.deadbolt))} per hand-off`);
  const pRatio = p.deadbolt / p.futex;
  rows.push({
    name: 'hand-off latency vs futex mutex',
    figure: `${formatNs(p.deadbolt)} vs ${formatNs(p.futex)}`,
    ratio: pRatio,
    goal: '<= 1.0x',
    met: pRatio <= 1.0,
  });

  console.log('\nUncontended async lock (median of 11 interleaved rounds; CPU ns per op, wall ns in brackets)');
  const a = await uncontendedAsync();
  line('await of a resolved promise (floor)', a.awaitFloor);
  line('lockAsync(); unlock() (no await)', a.callOnly);
  line('(await lockAsync()).unlock()', a.awaited);
  line('async-mutex (await acquire())()', a.asyncMutex);
  console.log(`  await lockAsync() above the floor: ${formatNs(a.awaited.nsPerOp - a.awaitFloor.nsPerOp)}`);
  rows.push({
    name: 'uncontended lockAsync()+unlock(), no await',
    figure: `${formatNs(a.callOnly.nsPerOp)} CPU`,
    ratio: a.callOnly.nsPerOp / 100,
    goal: '<= 100 ns; ratio is to 100 ns',
    met: a.callOnly.nsPerOp <= 100,
  });
  rows.push({
    name: 'uncontended (await lockAsync()).unlock()',
    figure: `${formatNs(a.awaited.nsPerOp)} CPU (floor ${formatNs(a.awaitFloor.nsPerOp)}, async-mutex ${formatNs(a.asyncMutex.nsPerOp)})`,
    ratio: a.awaited.nsPerOp / 100,
    goal: '<= 100 ns; ratio is to 100 ns',
    met: a.awaited.nsPerOp <= 100,
  });

  // Figures without a goal: read withPermit against the pair it wraps (what the scoped call adds on top).
  console.log('\nUncontended Semaphore, one permit (median of 15 / 11 interleaved rounds; CPU ns per op, wall ns in brackets)');
  const s = uncontendedSemaphore();
  line('tryAcquire(); release()', s.tryAcquireRelease);
  line('acquire(); release()', s.acquireRelease);
  line('withPermit(fn)', s.withPermit);
  console.log(`  withPermit / acquire+release, median of per-round ratios: ${pairedRatio(s.withPermit, s.acquireRelease).toFixed(2)}x`);
  const sa = await uncontendedSemaphoreAsync();
  line('await acquireAsync(); release()', sa.acquireAsyncRelease);
  line('await withPermitAsync(fn)', sa.withPermitAsync);
  console.log(`  withPermitAsync / acquireAsync+release: ${pairedRatio(sa.withPermitAsync, sa.acquireAsyncRelease).toFixed(2)}x`);

  // What an idle wait costs: its thread's own CPU (where the system tells it), against a bare Atomics.wait.
  console.log(`\nIdle waiters (${WAITERS} threads waiting on a lock this thread holds; CPU ms per second)`);
  const idle = await idleCost(new URL('../src/index.js', import.meta.url).href);
  printIdle(idle);
  for (const [mode, bare] of [['lock', 'bare'], ['lockAsync', 'bareAsync']] as const) {
    const waiter = idle[mode].waiter ?? idle[mode].processPerWaiter;
    const floor = idle[bare].waiter ?? idle[bare].processPerWaiter;
    rows.push({
      name: `idle ${mode === 'lock' ? 'lock()' : 'lockAsync()'} waiter vs bare ${mode === 'lock' ? 'Atomics.wait' : 'Atomics.waitAsync'}`,
      figure: `${waiter.toFixed(3)} vs ${floor.toFixed(3)} ms CPU per waiter per second, waiting for ${STEADY_MS / 1000} s on`,
      ratio: waiter / floor,
      goal: 'within 0.1 ms/s of the floor',
      met: waiter - floor <= 0.1,
    });
  }

  // What engines without Atomics.waitAsync pay (wait-async.ts): a figure to read, not a goal.
  console.log('\nlockAsync hand-off latency with the engine\'s waitAsync and with the polling stand-in (unlock to lock held, ms)');
  printHandoffs(await handoffLatency());

  printGoals(rows);
}

await main();
