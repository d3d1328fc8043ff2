/**
 * Peak resident memory of a server and its child processes (typescript-language-server runs tsserver as a child),
 * sampled from /proc while the benchmark runs. Linux only; elsewhere it reports nothing rather than guessing.
 */
import { readFileSync } from 'node:fs';

function rssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return tasks.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function treeRssKb(pid: number): number {
  return rssKb(pid) + children(pid).reduce((sum, child) => sum + treeRssKb(child), 0);
}

/** Samples the process tree of `pid` every `intervalMs`; `stop()` returns the peak in megabytes (undefined off Linux). */
export function sampleRss(pid: number, intervalMs = 50): { stop(): number | undefined } {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let peak = treeRssKb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssKb(pid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, treeRssKb(pid));
      return peak / 1024;
    },
  };
}
