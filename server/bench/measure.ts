/** Runs one command as a child process and reports its wall time and peak memory (through rss-hook.js). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./rss-hook.js', import.meta.url));

export interface Measurement {
  ms: number;
  /** Peak resident set of the measured node process, in MiB. */
  peakMiB: number;
  /** CPU time (user + system) of the measured process, in ms: steadier than wall time when the machine is busy. */
  cpuMs: number;
  status: number | null;
  stdout: string;
}

/** Runs `node <script> ...args` in `cwd`; the exit status is returned, not judged (deadbolt exits 1 on findings). */
export function measureNode(script: string, args: string[], cwd: string): Measurement {
  const scratch = mkdtempSync(path.join(tmpdir(), 'deadbolt-bench-'));
  const rssFile = path.join(scratch, 'rss');
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', HOOK, script, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, DEADBOLT_BENCH_RSS_FILE: rssFile },
    });
    const ms = performance.now() - started;
    if (result.error) throw result.error;
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`${path.basename(script)} exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
    }
    const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; cpu: number };
    return { ms, peakMiB: usage.maxRSS / 1024, cpuMs: usage.cpu / 1000, status: result.status, stdout: result.stdout };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall time, CPU time (the process and the children it waited for) and peak memory of any command, from GNU time. */
export interface CommandMeasurement {
  ms: number;
  cpuMs: number;
  peakMiB: number;
  status: number | null;
}

/** Runs `command ...args` in `cwd` under /usr/bin/time; the exit status is returned, not judged. */
export function measureCommand(command: string, args: string[], cwd: string): CommandMeasurement {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  const [user, system, kib] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  return { ms, cpuMs: (user + system) * 1000, peakMiB: kib / 1024, status: result.status };
}
