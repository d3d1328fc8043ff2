/**
 * The Tracer a traced thread installs: waits, notifies and lifecycle go to the event ring; acquisitions and releases
 * go to the thread's held-lock table (the hot path). Call sites are sampled per lock: every one of the first
 * acquisitions and waits, then at powers of two, and always for a wait while holding (the only kind that can deadlock).
 * The first time this thread takes a lock while holding another, in that order, it publishes the order with both
 * acquisition stacks (a LockOrder record), as lockdep records a dependency: the adapter finds potential deadlocks in
 * those orders whether or not the run deadlocks.
 */
import { captureStack, siteText } from './call-site.js';
import type { Tracer, WaitKind } from './hooks.js';
import { HeldTableWriter } from './held-table.js';
import { H_NEXT_STRING, H_NEXT_TASK, NO_STRING, RecordKind, TASK_THREAD_BASE, type TraceViews, WAIT_KINDS } from './layout.js';
import { RingWriter } from './ring.js';

/** Acquisitions (and waits) of one lock by one thread whose call site is always captured, before sampling thins out. */
const ALWAYS_SAMPLED = 16;

export function now(): number {
  return performance.timeOrigin + performance.now();
}

function sampled(counts: number[], id: number): boolean {
  const n = (counts[id] ?? 0) + 1;
  counts[id] = n;
  return n <= ALWAYS_SAMPLED || (n & (n - 1)) === 0;
}

export class RingTracer implements Tracer {
  readonly writer: RingWriter;
  private readonly table: HeldTableWriter | undefined;
  private readonly interned = new Map<string, number>();
  private readonly acquireCounts: number[] = [];
  private readonly waitCounts: number[] = [];
  /** Per lock, the site id of this thread's last captured acquisition, reused when sampling skips one. */
  private readonly lastSite: number[] = [];
  /** Captured but not yet formatted acquisition stacks, by site id; formatted only when a wait or exit needs them. */
  private readonly pending = new Map<number, Error>();
  /** Per held lock, the locks this thread has been seen taking while holding it: each order is published once. */
  private readonly orders = new Map<number, Set<number>>();

  constructor(
    private readonly v: TraceViews,
    readonly thread: number,
  ) {
    this.writer = new RingWriter(v);
    this.table = HeldTableWriter.allocate(v, thread);
  }

  created(id: number, kind: string, name: string | undefined): void {
    this.writer.write(RecordKind.Created, this.thread, id, this.intern(kind), name === undefined ? NO_STRING : this.intern(name));
  }

  waitBegin(id: number, kind: WaitKind): void {
    const holding = this.table !== undefined && this.table.size > 0;
    // The order is published before blocking: a run that deadlocks here has still shown both orders.
    if (holding && kind === 'lock') this.noteOrders(id);
    let site = NO_STRING;
    if (holding || sampled(this.waitCounts, id)) site = this.intern(siteText(captureStack()));
    // A thread about to block must publish everything a deadlock report needs: it may never run again.
    if (holding) this.flushHeldSites();
    const kindIndex = Math.max(0, WAIT_KINDS.indexOf(kind));
    this.writer.write(RecordKind.WaitBegin, this.thread, id, kindIndex | (holding ? 0x100 : 0), site, now());
    // Only a wait while holding can close a wait-for cycle, so only it pays for waking the collector at once.
    if (holding) this.writer.wake();
  }

  waitEnd(id: number, acquired: boolean): void {
    // No timestamp: nothing downstream needs when a wait ended, and reading the clock is a cost on every contended lock.
    this.writer.write(RecordKind.WaitEnd, this.thread, id, acquired ? 1 : 0, 0);
  }

  acquired(id: number): void {
    if (this.table === undefined) return;
    if (this.table.listed > 0) this.noteOrders(id);
    if (sampled(this.acquireCounts, id)) {
      const site = this.newStringId();
      const previous = this.lastSite[id];
      if (previous !== undefined) this.pending.delete(previous);
      this.pending.set(site, captureStack());
      this.lastSite[id] = site;
      this.table.add(id, site, true);
    } else {
      this.table.add(id, this.lastSite[id] ?? NO_STRING, false);
    }
  }

  released(id: number): void {
    this.table?.remove(id);
  }

  notified(id: number, count: number): void {
    this.writer.write(RecordKind.Notified, this.thread, id, count, 0);
  }

  /** Names a worker this thread just created. */
  threadName(child: number, name: string): void {
    this.writer.write(RecordKind.ThreadName, this.thread, child, this.intern(name), 0);
  }

  threadStart(): void {
    this.writer.write(RecordKind.ThreadStart, this.thread, 0, 0, 0, now());
  }

  /** Reports `thread` (this one, or a worker seen exiting from its parent) gone, with what it still holds. */
  threadExit(thread: number, code: number): void {
    if (thread === this.thread) this.flushHeldSites();
    this.writer.write(RecordKind.ThreadExit, this.thread, thread, code, 0, now());
    this.writer.wake();
  }

  threadError(message: string): void {
    this.flushHeldSites();
    this.writer.write(RecordKind.ThreadError, this.thread, this.intern(message), 0, 0, now());
    this.writer.wake();
  }

  /**
   * Async tasks (async-locks.ts): a Web Locks or async-mutex holder or waiter is a wait-for node of its own, since
   * one thread runs many of them. Their records carry the task's trace thread id; their holds are events, not table
   * entries, because a task's locks live as long as promises do, not a thread's stack. These locks are taken through
   * promises, so capturing the site each time costs little next to the acquisition itself.
   */
  newTask(name: string): number {
    const task = TASK_THREAD_BASE + Atomics.add(this.v.i32, H_NEXT_TASK, 1);
    this.writer.write(RecordKind.ThreadName, this.thread, task, this.intern(name), 0);
    return task;
  }

  taskWaitBegin(task: number, id: number, kind: WaitKind, holding: boolean, site: string): void {
    const kindIndex = Math.max(0, WAIT_KINDS.indexOf(kind));
    this.writer.write(RecordKind.WaitBegin, task, id, kindIndex | (holding ? 0x100 : 0), this.intern(site), now());
    if (holding) this.writer.wake();
  }

  taskWaitEnd(task: number, id: number, acquired: boolean): void {
    this.writer.write(RecordKind.WaitEnd, task, id, acquired ? 1 : 0, 0);
  }

  taskHeld(task: number, id: number, site: string): void {
    this.writer.write(RecordKind.TaskHeld, task, id, 0, this.intern(site));
  }

  taskReleased(task: number, id: number): void {
    this.writer.write(RecordKind.TaskReleased, task, id, 0, 0);
  }

  /** Formats and publishes the sites of the locks this thread holds that are still unformatted. */
  flushHeldSites(): void {
    if (this.table === undefined || this.pending.size === 0) return;
    for (const entry of this.table.entries()) this.publishSite(entry.site);
  }

  /**
   * Publishes the orders "held -> taken" this thread has not shown before, one per lock it holds. A known order costs
   * a map and a set lookup per held lock and allocates nothing; a new one captures this acquisition's stack (once for
   * all the new orders of this call) and publishes the held lock's acquisition stack if it is still unformatted.
   */
  private noteOrders(taken: number): void {
    const table = this.table!;
    let takenSite = NO_STRING;
    for (let i = 0; i < table.listed; i++) {
      const held = table.lockAt(i);
      // Taking a recursive lock again is not an order between two locks.
      if (held === taken) continue;
      let seen = this.orders.get(held);
      if (seen === undefined) this.orders.set(held, (seen = new Set()));
      if (seen.has(taken)) continue;
      seen.add(taken);
      if (takenSite === NO_STRING) takenSite = this.intern(siteText(captureStack()));
      const heldSite = table.siteAt(i);
      this.publishSite(heldSite);
      this.writer.writeOrder(this.thread, taken, held, heldSite, takenSite, now());
    }
  }

  /** Formats and publishes a captured acquisition stack, if it is still waiting to be. */
  private publishSite(site: number): void {
    const error = this.pending.get(site);
    if (error === undefined) return;
    this.pending.delete(site);
    this.writer.writeString(this.thread, site, siteText(error));
  }

  private intern(text: string): number {
    let id = this.interned.get(text);
    if (id === undefined) {
      id = this.newStringId();
      this.interned.set(text, id);
      this.writer.writeString(this.thread, id, text);
    }
    return id;
  }

  private newStringId(): number {
    return Atomics.add(this.v.i32, H_NEXT_STRING, 1);
  }
}
