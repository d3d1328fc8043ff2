/**
 * The live wait-for graph of a traced program: threads, locks, who holds what and who waits for what, built from
 * trace batches. Finds deadlocks (threads that can never run again) and the cycles behind them. Pure: no DAP, no
 * process, no clock of its own, so it is tested alone and the adapter is a thin translation over it.
 */
import type { TraceBatch, TraceFrame, TraceHeld, WaitKind } from '@deadbolt/runtime/trace';
import type { OrderEdge } from './lock-order.js';

/**
 * Trace thread ids from here up are async tasks (Web Locks and async-mutex holders and waiters), not threads: the
 * runtime's TASK_THREAD_BASE, repeated so this module stays free of Node (the runtime's trace index imports Node).
 */
export const TASK_THREAD_BASE = 0x4000_0000;

export function isTask(id: number): boolean {
  return id >= TASK_THREAD_BASE;
}

export interface ThreadInfo {
  /** The program's thread id (worker_threads.threadId; the main thread is 0). */
  id: number;
  name: string;
  state: 'running' | 'waiting' | 'exited';
  wait?: WaitInfo;
  held: TraceHeld[];
  exitCode?: number;
  error?: string;
  /** For an async task: the thread that runs it. */
  parent?: number;
}

export interface WaitInfo {
  lock: number;
  kind: WaitKind;
  frames: TraceFrame[];
  /** ms since the epoch, from the trace event. */
  since: number;
  /** Counts this thread's waits, so "the same wait" can be told from a new one on the same lock. */
  seq: number;
}

export interface LockInfo {
  id: number;
  name?: string;
  kind: string;
}

/** A wait-for cycle: `threads[i]` waits for `locks[i]`, which `threads[i + 1]` (cyclically) holds. */
export interface Cycle {
  threads: number[];
  locks: number[];
}

/** What one batch changed that the adapter reports to the user. */
export interface BatchChanges {
  started: number[];
  exited: number[];
  /** Threads that exited with locks still in their table: those locks are abandoned. */
  exitedHolding: { thread: number; held: TraceHeld[]; code: number }[];
  errors: { thread: number; message: string }[];
  /**
   * Lock orders seen in this batch: those threads reported, and those of async tasks, read here from each task's
   * holds at the moment it takes or begins to wait for another lock (a task's holds are events, kept in order).
   */
  orders: OrderEdge[];
}

/**
 * Waits that can be part of a deadlock: those for an owned lock, which only its holder can release. A semaphore's
 * permits are not owned (any thread may release one), so a thread listed as holding a permit is no proof that it is
 * the only way out; conditions, events and barriers wait for a notify, not a holder. Those show in the graph but
 * never make a cycle.
 */
const OWNED_WAIT_KINDS: ReadonlySet<WaitKind> = new Set<WaitKind>(['lock']);

export class WaitForGraph {
  private readonly threads = new Map<number, ThreadInfo>();
  private readonly locks = new Map<number, LockInfo>();
  private waitSeq = 0;
  /** The cycles of the previous check, by signature, for confirmation across two batches. */
  private previousSignature = '';

  constructor() {
    this.threads.set(0, { id: 0, name: 'main', state: 'running', held: [] });
  }

  /** Applies one batch: its events in order, then the holdings snapshot taken after them. */
  apply(batch: TraceBatch): BatchChanges {
    const changes: BatchChanges = { started: [], exited: [], exitedHolding: [], errors: [], orders: [] };
    for (const e of batch.events) {
      switch (e.type) {
        case 'thread-start':
        case 'thread-name': {
          const known = this.threads.get(e.thread);
          const thread = known ?? { id: e.thread, name: `worker #${e.thread}`, state: 'running', held: [] };
          if (e.type === 'thread-name') thread.name = e.name;
          if (e.type === 'thread-name' && isTask(e.thread)) thread.parent = e.parent;
          if (known === undefined) {
            this.threads.set(e.thread, thread);
            // Tasks come and go with promises: they are listed while they hold or wait, without thread events.
            if (!isTask(e.thread)) changes.started.push(e.thread);
          }
          break;
        }
        case 'task-held': {
          const task = this.ensureThread(e.thread);
          changes.orders.push(...taskOrders(task, e.lock, e.site === undefined ? [] : [e.site]));
          task.held = [...task.held, e.site === undefined ? { lock: e.lock, exact: true } : { lock: e.lock, site: e.site, exact: true }];
          break;
        }
        case 'task-released': {
          const task = this.threads.get(e.thread);
          if (task === undefined) break;
          const index = task.held.map((h) => h.lock).lastIndexOf(e.lock);
          if (index >= 0) task.held = [...task.held.slice(0, index), ...task.held.slice(index + 1)];
          this.dropIdleTask(e.thread);
          break;
        }
        case 'thread-exit': {
          const thread = this.threads.get(e.thread);
          if (thread === undefined || thread.state === 'exited') break;
          thread.state = 'exited';
          thread.exitCode = e.code;
          delete thread.wait;
          changes.exited.push(e.thread);
          // A thread's tasks end with it (the runtime frees the Web Locks of a thread that exits).
          for (const t of [...this.threads.values()]) if (t.parent === e.thread) this.threads.delete(t.id);
          break;
        }
        case 'thread-error': {
          const thread = this.threads.get(e.thread);
          if (thread !== undefined) thread.error = e.message;
          changes.errors.push({ thread: e.thread, message: e.message });
          break;
        }
        case 'created':
          if (!this.locks.has(e.lock)) {
            const lock: LockInfo = { id: e.lock, kind: e.kind };
            if (e.name !== undefined) lock.name = e.name;
            this.locks.set(e.lock, lock);
          }
          break;
        case 'wait-begin': {
          const thread = this.ensureThread(e.thread);
          if (thread.state === 'exited') break;
          thread.state = 'waiting';
          thread.wait = { lock: e.lock, kind: e.waitKind, frames: e.frames, since: e.time, seq: ++this.waitSeq };
          // A task's wait for a lock while holding others is an order too: in a deadlock it is never acquired.
          if (isTask(e.thread) && OWNED_WAIT_KINDS.has(e.waitKind)) changes.orders.push(...taskOrders(thread, e.lock, e.frames));
          break;
        }
        case 'lock-order':
          changes.orders.push({ thread: e.thread, held: e.held, taken: e.taken, heldAt: e.heldAt, takenAt: e.takenAt });
          break;
        case 'wait-end': {
          const thread = this.ensureThread(e.thread);
          if (thread.wait?.lock === e.lock) {
            delete thread.wait;
            if (thread.state === 'waiting') thread.state = 'running';
          }
          this.dropIdleTask(e.thread);
          break;
        }
        case 'notified':
          break;
      }
    }
    for (const h of batch.holdings) this.ensureThread(h.thread).held = h.held;
    for (const id of changes.exited) {
      const thread = this.threads.get(id)!;
      if (thread.held.length > 0) changes.exitedHolding.push({ thread: id, held: thread.held, code: thread.exitCode ?? 0 });
    }
    return changes;
  }

  thread(id: number): ThreadInfo | undefined {
    return this.threads.get(id);
  }

  allThreads(): ThreadInfo[] {
    return [...this.threads.values()].sort((a, b) => a.id - b.id);
  }

  lock(id: number): LockInfo | undefined {
    return this.locks.get(id);
  }

  allLocks(): LockInfo[] {
    return [...this.locks.values()].sort((a, b) => a.id - b.id);
  }

  /** A lock's name for people: its name, else its kind and id. */
  lockLabel(id: number): string {
    const lock = this.locks.get(id);
    return lock?.name ?? `${lock?.kind ?? 'lock'} #${id}`;
  }

  /** The thread's name, with its id added when another thread of the program has the same name (two "teller"s). */
  threadLabel(id: number): string {
    const parent = this.threads.get(id)?.parent;
    if (parent !== undefined) {
      // A task's name is the function it started in (or empty); tasks are numbered by their trace id.
      const fn = this.threads.get(id)!.name;
      return `${this.threadLabel(parent)} › task ${id - TASK_THREAD_BASE + 1}${fn !== '' ? ` (${fn})` : ''}`;
    }
    const name = this.threads.get(id)?.name;
    if (name === undefined) return `worker #${id}`;
    for (const t of this.threads.values()) if (t.id !== id && t.name === name) return `${name} #${id}`;
    return name;
  }

  /** Threads listing `lock` in their held table (exited ones included: their locks are abandoned, not free). */
  holders(lock: number): number[] {
    const out: number[] = [];
    for (const t of this.threads.values()) if (t.held.some((h) => h.lock === lock)) out.push(t.id);
    return out;
  }

  waiters(lock: number): number[] {
    const out: number[] = [];
    for (const t of this.threads.values()) if (t.state === 'waiting' && t.wait?.lock === lock) out.push(t.id);
    return out;
  }

  /**
   * Threads that can never run again: waiting for an owned lock whose every holder is itself in the set. Computed as
   * the greatest such set (start from every waiting thread, drop any whose lock has a holder that could still release),
   * which also covers a recursive lock held by several entries of one thread and threads stuck behind a cycle.
   */
  deadlocked(): Set<number> {
    const set = new Set<number>();
    for (const t of this.threads.values()) {
      if (t.state === 'waiting' && t.wait !== undefined && OWNED_WAIT_KINDS.has(t.wait.kind) && this.holders(t.wait.lock).length > 0) set.add(t.id);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of set) {
        const lock = this.threads.get(id)!.wait!.lock;
        if (this.holders(lock).some((h) => !set.has(h))) {
          set.delete(id);
          changed = true;
        }
      }
    }
    return set;
  }

  /** The wait-for cycles among deadlocked threads, each listed once, starting from its lowest thread id. */
  cycles(): Cycle[] {
    const dead = this.deadlocked();
    const cycles: Cycle[] = [];
    const done = new Set<number>();
    for (const start of [...dead].sort((a, b) => a - b)) {
      if (done.has(start)) continue;
      const path: number[] = [];
      const onPath = new Map<number, number>();
      let current: number | undefined = start;
      while (current !== undefined && !done.has(current) && !onPath.has(current)) {
        onPath.set(current, path.length);
        path.push(current);
        const lock: number = this.threads.get(current)!.wait!.lock;
        current = this.holders(lock).find((h) => dead.has(h));
      }
      if (current !== undefined && onPath.has(current)) {
        const loop = path.slice(onPath.get(current));
        const first = loop.indexOf(Math.min(...loop));
        const threads = [...loop.slice(first), ...loop.slice(0, first)];
        cycles.push({ threads, locks: threads.map((t) => this.threads.get(t)!.wait!.lock) });
      }
      for (const id of path) done.add(id);
    }
    return cycles;
  }

  /**
   * The cycles to report now: those present in this check and, unchanged (same threads, same waits), in the previous
   * one. Holdings and events come from different places in the program, so one snapshot can show a cycle that a
   * release in flight is about to break; a real deadlock survives the collector's next look.
   */
  confirmedCycles(): Cycle[] {
    const cycles = this.cycles();
    const signature = cycles.map((c) => c.threads.map((t) => `${t}:${this.threads.get(t)!.wait!.seq}`).join(',')).join('|');
    const confirmed = signature !== '' && signature === this.previousSignature;
    this.previousSignature = signature;
    return confirmed ? cycles : [];
  }

  /** "transfer-ab holds lockA and waits for lockB; transfer-ba holds lockB and waits for lockA". */
  describeCycle(cycle: Cycle): string {
    return cycle.threads
      .map((t, i) => {
        const held = cycle.locks[(i + cycle.locks.length - 1) % cycle.locks.length]!;
        return `${this.threadLabel(t)} holds ${this.lockLabel(held)} and waits for ${this.lockLabel(cycle.locks[i]!)}`;
      })
      .join('; ');
  }

  /** Waiting threads whose current wait began at least `thresholdMs` before `now`. */
  longWaits(now: number, thresholdMs: number): ThreadInfo[] {
    return this.allThreads().filter((t) => t.state === 'waiting' && t.wait !== undefined && now - t.wait.since >= thresholdMs);
  }

  /** Forgets a task that neither holds nor waits: it has nothing left to show. */
  private dropIdleTask(id: number): void {
    const task = this.threads.get(id);
    if (task !== undefined && isTask(id) && task.held.length === 0 && task.wait === undefined) this.threads.delete(id);
  }

  private ensureThread(id: number): ThreadInfo {
    let thread = this.threads.get(id);
    if (thread === undefined) {
      thread = { id, name: `worker #${id}`, state: 'running', held: [] };
      this.threads.set(id, thread);
    }
    return thread;
  }
}

/** The orders "held -> taken" of a task about to take (or wait for) `taken`, one per lock it holds. */
function taskOrders(task: ThreadInfo, taken: number, takenAt: TraceFrame[]): OrderEdge[] {
  return task.held
    .filter((h) => h.lock !== taken)
    .map((h) => ({ thread: task.id, held: h.lock, taken, heldAt: h.site === undefined ? [] : [h.site], takenAt }));
}
