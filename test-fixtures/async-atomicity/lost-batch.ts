// A collection handed to an awaited call and emptied after it: entries another task adds while the call is pending
// are dropped with the batch. Shapes from openforis/arena server/db/batchPersister.js (`await
// this.insertHandler(this.insertBuffer, t); this.insertBuffer.length = 0`) and the trace reporter's `batcher` of
// vercel/next.js packages/next/src/trace/report/to-json.ts (`await reportEvents(events); events.length = 0`, while
// `report` pushes). Swapping in the empty collection before the await is the fix and is not reported.
import { Worker } from 'node:worker_threads';

declare function insert(rows: readonly string[]): Promise<void>;

export class BatchPersister {
  private insertBuffer: string[] = [];

  constructor(private readonly size: number) {}

  async addItem(item: string): Promise<void> {
    this.insertBuffer.push(item);
    if (this.insertBuffer.length === this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.insertBuffer.length > 0) {
      await insert(this.insertBuffer);
      this.insertBuffer.length = 0; // expect: async-atomicity
    }
  }
}

export function batcher(reportEvents: (events: string[]) => Promise<void>) {
  const events: string[] = [];
  return {
    flushAll: async () => {
      if (events.length > 0) {
        await reportEvents(events);
        events.length = 0; // expect: async-atomicity
      }
    },
    report: (event: string) => {
      events.push(event);
    },
  };
}

export class TraceWriter {
  private queue: string[] = [];
  private readonly worker = new Worker(new URL('./sink.js', import.meta.url));

  record(line: string): void {
    this.queue.push(line);
  }

  async write(): Promise<void> {
    const batch = this.queue;
    await new Promise<void>((resolve) => this.worker.once('message', () => resolve()).postMessage(batch));
    this.queue = []; // expect: async-atomicity
  }

  // Swap, then write: what arrives during the write waits for the next batch.
  async writeSwapped(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    await insert(batch);
  }

  // Keeps what arrived meanwhile: the slice reads the queue as it is after the await.
  async writeKeeping(): Promise<void> {
    const batch = this.queue.slice();
    await insert(batch);
    this.queue = this.queue.slice(batch.length);
  }
}

// Removing only the entries that were taken keeps what arrived meanwhile (supabase/auth-js src/GoTrueClient.ts,
// `_acquireLock`: `await Promise.all(waitOn); this.pendingInLock.splice(0, waitOn.length)`).
export class PendingInLock {
  private pendingInLock: Promise<unknown>[] = [];

  track(work: Promise<unknown>): void {
    this.pendingInLock.push(work);
  }

  async drain(): Promise<void> {
    while (this.pendingInLock.length) {
      const waitOn = [...this.pendingInLock];
      await Promise.all(waitOn);
      this.pendingInLock.splice(0, waitOn.length);
    }
  }
}

// A map of workers terminated one by one, then cleared: a thread started meanwhile is dropped unterminated
// (microsoft/vscode-wasm wasm-wasi-core/src/desktop/process.ts, `cleanUpWorkers()` and `startThread()`). The map is
// a field that can be assigned, so the advice is to swap in a new map.
export class WasiProcess {
  private threadWorkers: Map<number, Worker> = new Map();

  startThread(tid: number): void {
    this.threadWorkers.set(tid, new Worker(new URL('./thread.js', import.meta.url)));
  }

  async cleanUpWorkers(): Promise<void> {
    for (const worker of this.threadWorkers.values()) {
      await worker.terminate();
    }
    this.threadWorkers.clear(); // expect: async-atomicity
  }
}

// A read-only set of dirty ids saved, then cleared: an id marked during the save is never saved. The field cannot
// be assigned, so the advice is to copy the set and clear it before the await.
export class DirtyTracker {
  private readonly dirty = new Set<string>();

  markDirty(id: string): void {
    this.dirty.add(id);
  }

  async save(): Promise<void> {
    await insert([...this.dirty]);
    this.dirty.clear(); // expect: async-atomicity
  }
}
