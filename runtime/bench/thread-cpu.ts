/**
 * CPU time of the calling thread alone, in nanoseconds, where the system tells it (Linux: the first field of
 * /proc/thread-self/schedstat); undefined elsewhere. A blocked thread's own CPU shows what its wait costs, apart from
 * the process's other threads (V8's helpers, the main thread's timers), which process.cpuUsage() adds in.
 */
import { readFileSync } from 'node:fs';

export function threadCpuNs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}
