/**
 * When to analyse one root: at once for an edit after a quiet spell, else when a burst of edits pauses (a debounce
 * with a leading edge), one run at a time, never publishing what a superseded run found, and on demand (`flush`)
 * when a request needs up-to-date findings.
 */
import type { AnalysisOutcome, EngineHost } from './engineHost.js';

type Analyzed = Extract<AnalysisOutcome, { kind: 'analyzed' }>;

export interface SchedulerOptions {
  debounceMs: number;
  /** Called with a run's result only when no edit arrived while it ran, so ranges match the editor's text. */
  onFresh(outcome: Analyzed): void;
  onFailure(message: string): void;
  /**
   * Called when the root starts having work (an edit awaits analysis, or a run is under way) and when it has none
   * left. Not called by dispose(): a disposed root is usually replaced by one that takes its work over.
   */
  onBusy?(busy: boolean): void;
}

export class RootScheduler {
  /** Newest edit generation of this root, and the newest one whose analysis has finished (or failed). */
  private latest = 0;
  private done = -1;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private waiters: (() => void)[] = [];
  /** When the previous edit arrived (performance.now()), to tell a lone edit from one inside a burst. */
  private lastEdit = Number.NEGATIVE_INFINITY;
  private busy = false;
  /** A disposed scheduler (its root was reset or closed) reports nothing more: its runs belong to a root that is gone. */
  private disposed = false;

  constructor(
    private readonly host: EngineHost,
    private readonly root: string,
    private readonly options: SchedulerOptions,
  ) {}

  /**
   * Records an edit (global generation `generation`). An edit after a quiet spell with nothing running is analysed
   * at once, so a single change costs no waiting; an edit inside a burst, or while a run is under way (which the
   * edit cancels), waits for the burst to pause, so typing does not start a run per keystroke.
   */
  touched(generation: number): void {
    if (this.disposed) return;
    this.latest = Math.max(this.latest, generation);
    this.setBusy(true);
    const now = performance.now();
    const lone = now - this.lastEdit >= this.options.debounceMs;
    this.lastEdit = now;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (lone && !this.running) {
      this.kick();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.options.debounceMs);
  }

  /** Resolves once the findings of every edit made so far are known, analysing now instead of after the quiet period. */
  flush(): Promise<void> {
    if (this.disposed || (this.done >= this.latest && this.timer === undefined)) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      clearTimeout(this.timer);
      this.timer = undefined;
      this.kick();
    });
  }

  /** True when no edit awaits analysis and none runs: the last published findings are those of the current texts. */
  idle(): boolean {
    return !this.running && this.timer === undefined && this.done >= this.latest;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.release();
  }

  private kick(): void {
    if (this.running) return; // the running loop re-checks `latest` before it stops
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.done < this.latest) {
        const generation = this.latest;
        const outcome = await this.host.analyze(this.root, generation);
        if (this.disposed) return;
        if (outcome.kind === 'failed') {
          this.done = generation;
          this.options.onFailure(outcome.message);
        } else if (outcome.kind === 'analyzed' && generation === this.latest) {
          this.done = generation;
          try {
            this.options.onFresh(outcome);
          } catch (error) {
            // Publishing must never stop the loop: a rejected loop would leave flush() waiters hanging.
            this.options.onFailure(error instanceof Error ? (error.stack ?? error.message) : String(error));
          }
        } else if (this.timer !== undefined) {
          // Stale or cancelled while the user is still typing: the pending quiet period will start the next run.
          break;
        }
      }
    } finally {
      // Cleared synchronously with the last check of `latest`, so a kick() arriving now starts a new loop.
      this.running = false;
    }
    if (this.done >= this.latest) this.release();
    if (this.done >= this.latest && this.timer === undefined) this.setBusy(false);
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy || this.disposed) return;
    this.busy = busy;
    this.options.onBusy?.(busy);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
