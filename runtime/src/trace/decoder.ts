/**
 * Turns raw ring records back into trace events: reassembles string chunks, resolves string ids (lock names,
 * kinds, call sites) and numeric wait kinds. Pure, so the collector and the tests share it.
 */
import { decodeFrames } from './call-site.js';
import type { TraceEvent, TraceFrame, TraceHoldings } from './events.js';
import type { HeldSnapshot } from './held-table.js';
import { NO_STRING, RecordKind, WAIT_KINDS } from './layout.js';
import type { RawRecord } from './ring.js';

const decoder = new TextDecoder();

export class TraceDecoder {
  private readonly strings = new Map<number, string>();
  private readonly partial = new Map<number, Uint8Array>();

  /** Decodes one record; string chunks and unknown kinds yield nothing. */
  decode(r: RawRecord): TraceEvent | undefined {
    switch (r.kind) {
      case RecordKind.StringChunk:
        this.addChunk(r);
        return undefined;
      case RecordKind.ThreadStart:
        return { type: 'thread-start', thread: r.thread, time: r.time };
      case RecordKind.ThreadName:
        return { type: 'thread-name', thread: r.a, name: this.string(r.b) ?? `worker #${r.a}`, parent: r.thread };
      case RecordKind.ThreadExit:
        return { type: 'thread-exit', thread: r.a, code: r.b, time: r.time };
      case RecordKind.ThreadError:
        return { type: 'thread-error', thread: r.thread, message: this.string(r.a) ?? 'unknown error' };
      case RecordKind.Created: {
        const name = this.string(r.c);
        const event: TraceEvent = { type: 'created', thread: r.thread, lock: r.a, kind: this.string(r.b) ?? 'lock' };
        if (name !== undefined) event.name = name;
        return event;
      }
      case RecordKind.WaitBegin:
        return {
          type: 'wait-begin',
          thread: r.thread,
          lock: r.a,
          waitKind: WAIT_KINDS[r.b & 0xff] ?? 'lock',
          holding: (r.b & 0x100) !== 0,
          frames: this.frames(r.c),
          time: r.time,
        };
      case RecordKind.WaitEnd:
        return { type: 'wait-end', thread: r.thread, lock: r.a, acquired: r.b !== 0, time: r.time };
      case RecordKind.Notified:
        return { type: 'notified', thread: r.thread, lock: r.a, count: r.b };
      case RecordKind.TaskHeld: {
        const site = this.frames(r.c)[0];
        return site === undefined ? { type: 'task-held', thread: r.thread, lock: r.a } : { type: 'task-held', thread: r.thread, lock: r.a, site };
      }
      case RecordKind.TaskReleased:
        return { type: 'task-released', thread: r.thread, lock: r.a };
      case RecordKind.LockOrder:
        return { type: 'lock-order', thread: r.thread, held: r.held ?? 0, taken: r.a, heldAt: this.frames(r.b), takenAt: this.frames(r.c), time: r.time };
      default:
        return undefined;
    }
  }

  /** The text of string `id`, once every chunk of it arrived. */
  string(id: number): string | undefined {
    return id === NO_STRING ? undefined : this.strings.get(id);
  }

  frames(site: number): TraceFrame[] {
    const text = this.string(site);
    return text === undefined ? [] : decodeFrames(text);
  }

  /** Resolves the site ids of held-table snapshots to their first frame. */
  holdings(snapshots: HeldSnapshot[]): TraceHoldings[] {
    return snapshots.map((s) => ({
      thread: s.thread,
      overflow: s.overflow,
      held: s.held.map((h) => {
        const site = this.frames(h.site)[0];
        return site === undefined ? { lock: h.lock, exact: h.exact } : { lock: h.lock, site, exact: h.exact };
      }),
    }));
  }

  private addChunk(r: RawRecord): void {
    const total = r.b;
    const bytes = r.bytes ?? new Uint8Array(0);
    if (r.c === 0 && bytes.length >= total) {
      this.strings.set(r.a, decoder.decode(bytes.subarray(0, total)));
      return;
    }
    let buffer = this.partial.get(r.a);
    if (buffer === undefined) {
      buffer = new Uint8Array(total);
      this.partial.set(r.a, buffer);
    }
    buffer.set(bytes, r.c);
    // Chunks of one string come from one thread in order, so the last chunk completes it.
    if (r.c + bytes.length >= total) {
      this.strings.set(r.a, decoder.decode(buffer));
      this.partial.delete(r.a);
    }
  }
}
