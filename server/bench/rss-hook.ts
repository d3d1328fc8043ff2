/**
 * Preloaded with `node --import` into each measured process: on exit it writes the process's peak resident set
 * (maxRSS, KiB) and CPU time (user + system, µs) from process.resourceUsage() to DEADBOLT_BENCH_RSS_FILE as JSON.
 * CPU time is the figure that survives a busy machine; wall time is what a user waits.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.DEADBOLT_BENCH_RSS_FILE;
if (target !== undefined) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }));
  });
}
