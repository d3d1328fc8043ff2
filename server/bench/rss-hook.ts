/**
 * Preloaded with `node --import` into each measured process: on exit it writes the process's peak resident set
 * (process.resourceUsage().maxRSS, in KiB) to the file named by DEADBOLT_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.DEADBOLT_BENCH_RSS_FILE;
if (target !== undefined) {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
