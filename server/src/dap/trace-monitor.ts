/**
 * The editor-independent core of a traced debug session: applies trace batches to the wait-for graph (deadlocks) and
 * to the lock-order graph (potential deadlocks), and words what a front end reports. The standalone adapter
 * (session.ts) and the VS Code extension's lock tracing inside a JavaScript debugger session are thin front ends over
 * it, so both find and describe the same things. Pure: no DAP, no editor, no process, no clock of its own.
 */
import type { OrderStep } from '@deadbolt/runtime';
import { describeOrderStep } from '@deadbolt/runtime/checked/order-path';
import type { TraceBatch, TraceFrame } from '@deadbolt/runtime/trace';
import type { LiveLockGraph } from '../protocol/index.js';
import { liveLockGraph, orderCycleText } from './live-graph.js';
import { LockOrderGraph, type OrderEdge, type PotentialDeadlock } from './lock-order.js';
import { type Cycle, type ThreadInfo, WaitForGraph } from './wait-for-graph.js';

/**
 * Lock kinds whose orders can deadlock, as in checked mode (Mutex, RecursiveMutex) plus the exclusive async locks
 * (async-mutex's Mutex is also reported as 'Mutex'; Web Locks as 'web lock'). Semaphores are left out: their permits
 * are not owned, so an order between them proves nothing, as in the wait-for graph.
 */
const ORDERED_KINDS: ReadonlySet<string> = new Set(['Mutex', 'RecursiveMutex', 'web lock']);

/** What one batch brought that a front end reports. */
export interface MonitorUpdate {
  started: number[];
  exited: number[];
  /** One sentence per thread that exited holding locks: those locks are abandoned. */
  abandoned: string[];
  /** Potential deadlocks this batch revealed. */
  potentialDeadlocks: PotentialDeadlock[];
}

/** A wait that has lasted too long, to stop on. */
export interface LongWait {
  thread: number;
  description: string;
}

export class TraceMonitor {
  readonly graph = new WaitForGraph();
  readonly orders = new LockOrderGraph();
  /** The wait-for cycles confirmed by the latest batches: the program is deadlocked while this is not empty. */
  private deadlockCycles: Cycle[] = [];
  private confirmed: Cycle[] = [];
  /** Cycles already reported, by signature, so a continued but still deadlocked program does not stop again and again. */
  private readonly reportedCycles = new Set<string>();
  /** Waits (by their sequence number) already reported as long. */
  private readonly reportedLongWaits = new Set<number>();

  apply(batch: TraceBatch): MonitorUpdate {
    const changes = this.graph.apply(batch);
    const abandoned = changes.exitedHolding.map(({ thread, held, code }) => {
      const locks = held.map((h) => `${this.graph.lockLabel(h.lock)}${h.site ? ` (taken at ${h.site.file}:${h.site.line})` : ''}`).join(', ');
      return `Worker '${this.graph.threadLabel(thread)}' exited (code ${code}) while holding ${locks}. Threads that wait for ${held.length > 1 ? 'them' : 'it'} will wait forever.`;
    });
    const potentialDeadlocks: PotentialDeadlock[] = [];
    for (const edge of changes.orders) {
      if (!this.ordered(edge.held) || !this.ordered(edge.taken)) continue;
      const found = this.orders.add(edge);
      if (found !== undefined) potentialDeadlocks.push(found);
    }
    this.confirmed = this.graph.confirmedCycles();
    if (this.confirmed.length > 0) this.deadlockCycles = this.confirmed;
    else if (this.graph.cycles().length === 0) this.deadlockCycles = [];
    return { started: changes.started, exited: changes.exited, abandoned, potentialDeadlocks };
  }

  /** True while the latest batches show a confirmed deadlock. */
  get deadlocked(): boolean {
    return this.deadlockCycles.length > 0;
  }

  /** The confirmed deadlock cycles not reported before, now marked reported; call it only when the front end can stop. */
  takeNewDeadlocks(): Cycle[] {
    const fresh = this.confirmed.filter((c) => !this.reportedCycles.has(signature(c)));
    for (const c of fresh) this.reportedCycles.add(signature(c));
    return fresh;
  }

  /** "Deadlock: transfer-ab holds lockA and waits for lockB; transfer-ba holds lockB and waits for lockA". */
  describeDeadlock(cycles: Cycle[]): string {
    return `Deadlock: ${cycles.map((c) => this.graph.describeCycle(c)).join(' | ')}`;
  }

  /** The first wait of at least `thresholdMs` not reported before, now marked reported. */
  takeLongWait(now: number, thresholdMs: number): LongWait | undefined {
    const waiting = this.graph.longWaits(now, thresholdMs).find((t) => !this.reportedLongWaits.has(t.wait!.seq));
    if (waiting === undefined) return undefined;
    const wait = waiting.wait!;
    this.reportedLongWaits.add(wait.seq);
    const holders = this.graph.holders(wait.lock).map((h) => this.graph.threadLabel(h));
    const heldBy = holders.length > 0 ? `held by ${holders.join(', ')}` : 'which no thread holds';
    const seconds = ((now - wait.since) / 1000).toFixed(1);
    return { thread: waiting.id, description: `${waiting.name} has waited ${seconds} s for ${this.graph.lockLabel(wait.lock)}, ${heldBy}` };
  }

  /** One line: "Potential deadlock: lockA -> lockB -> lockA (locks taken in orders that can deadlock)". */
  potentialDeadlockSummary(found: PotentialDeadlock): string {
    return `Potential deadlock: ${orderCycleText(this.graph, found)} (locks taken in orders that can deadlock, whether or not this run does)`;
  }

  /** The summary, then each order in checked mode's words, each followed by the stacks that took both locks. */
  potentialDeadlockReport(found: PotentialDeadlock): string {
    const lines = [`${this.potentialDeadlockSummary(found)}:`];
    for (const edge of found.edges) {
      lines.push(`  ${describeOrderStep(this.orderStep(edge))}`);
      lines.push(`    ${this.graph.lockLabel(edge.taken)} taken at:`, ...stackLines(edge.takenAt, '      '));
      lines.push(`    ${this.graph.lockLabel(edge.held)} taken at:`, ...stackLines(edge.heldAt, '      '));
    }
    return lines.join('\n');
  }

  /** An observed order as checked mode's OrderStep, so both describe it in the same words. */
  orderStep(edge: OrderEdge): OrderStep {
    return {
      thread: this.graph.threadLabel(edge.thread),
      held: this.graph.lockLabel(edge.held),
      heldAt: frameText(edge.heldAt[0]),
      taken: this.graph.lockLabel(edge.taken),
      takenAt: frameText(edge.takenAt[0]),
    };
  }

  /** The thread that closed the cycle: where a stop on a potential deadlock points. */
  closingThread(found: PotentialDeadlock): ThreadInfo | undefined {
    return this.graph.thread(found.edges[0]!.thread);
  }

  liveGraph(): LiveLockGraph {
    return liveLockGraph(this.graph, this.deadlockCycles, this.deadlocked, this.orders.all());
  }

  private ordered(lock: number): boolean {
    const kind = this.graph.lock(lock)?.kind;
    return kind === undefined || ORDERED_KINDS.has(kind);
  }
}

function signature(cycle: Cycle): string {
  return `${cycle.threads.join(',')}/${cycle.locks.join(',')}`;
}

/** "transfer (/src/transfer.ts:11:3)", as V8 prints a frame. */
function frameText(frame: TraceFrame | undefined): string {
  return frame === undefined ? 'an unknown place' : `${frame.name} (${frame.file}:${frame.line}:${frame.column})`;
}

function stackLines(frames: readonly TraceFrame[], indent: string): string[] {
  return frames.length === 0 ? [`${indent}(stack not captured)`] : frames.map((f) => `${indent}${frameText(f)}`);
}
