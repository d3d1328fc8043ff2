/**
 * Thins a batch before it leaves the program: a wait that began and ended within the batch changes nothing the
 * adapter shows, and notifies of one lock by one thread add up. Under contention this removes most events, which
 * keeps the collector (and the adapter) from competing with the program for CPU.
 */
import type { TraceEvent } from './events.js';

export function coalesce(events: TraceEvent[]): TraceEvent[] {
  const out: (TraceEvent | undefined)[] = [];
  const openWaits = new Map<string, number>();
  const notifies = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'wait-begin') {
      openWaits.set(`${e.thread}:${e.lock}`, out.length);
      out.push(e);
    } else if (e.type === 'wait-end') {
      const key = `${e.thread}:${e.lock}`;
      const begin = openWaits.get(key);
      if (begin === undefined) {
        out.push(e);
      } else {
        out[begin] = undefined;
        openWaits.delete(key);
      }
    } else if (e.type === 'notified') {
      const key = `${e.thread}:${e.lock}`;
      const at = notifies.get(key);
      const earlier = at === undefined ? undefined : out[at];
      if (earlier?.type === 'notified') {
        out[at!] = { ...earlier, count: earlier.count + e.count };
      } else {
        notifies.set(key, out.length);
        out.push(e);
      }
    } else {
      out.push(e);
    }
  }
  return out.filter((e): e is TraceEvent => e !== undefined);
}
