/**
 * Which js-debug session debugs which program thread, and which threads a stop has yet to pause: js-debug starts one
 * child session per thread (the main thread's, and one "[worker <id>] ..." per worker), and on a busy machine a
 * worker's session can start after its thread deadlocked, once the stop has paused the others. It is paused then.
 */
export class ThreadSessions<Session> {
  /** Program thread id -> the session that debugs that thread. */
  private readonly byThread = new Map<number, Session>();
  private readonly pauseWhenAttached = new Set<number>();

  /**
   * Records the session of a worker (its thread id), or of the program's process when `worker` is undefined (the
   * first such session debugs the main thread, 0). True when a stop is waiting to pause that thread.
   */
  attach(worker: number | undefined, session: Session): boolean {
    const thread = worker ?? (this.byThread.has(0) ? undefined : 0);
    if (thread === undefined) return false;
    this.byThread.set(thread, session);
    return this.pauseWhenAttached.delete(thread);
  }

  /** The sessions a stop of `threads` pauses now, and the threads without one yet, which `attach` reports when it starts. */
  forStop(threads: readonly number[]): { sessions: Session[]; unattached: number[] } {
    const unique = [...new Set(threads)];
    const sessions = [...new Set(unique.map((t) => this.byThread.get(t)).filter((s): s is Session => s !== undefined))];
    const unattached = unique.filter((t) => !this.byThread.has(t));
    for (const thread of unattached) this.pauseWhenAttached.add(thread);
    return { sessions, unattached };
  }
}
