/**
 * CPU time of single threads, in nanoseconds, where the system tells it (Linux: the first field of a thread's
 * schedstat); undefined elsewhere. A blocked thread's own CPU shows what its wait costs, apart from the process's
 * other threads (V8's helpers, the main thread's timers), which process.cpuUsage() adds in. A thread names itself
 * with threadPath(), so another thread can read its CPU while it is blocked.
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** The calling thread's /proc path ("/proc/<pid>/task/<tid>"), or undefined where there is none. */
export function threadPath(): string | undefined {
  try {
    return `/proc/${readlinkSync('/proc/thread-self')}`;
  } catch {
    return undefined;
  }
}

/** CPU nanoseconds the thread at `path` (from threadPath) has used, or undefined. */
export function threadCpuNs(path: string | undefined = threadPath()): number | undefined {
  if (path === undefined) return undefined;
  try {
    return Number(readFileSync(`${path}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}
