// A promise-queue lock for one event loop: `enter` resolves when the gate is ours.
export class AsyncGate {
  private tail: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  async enter(): Promise<void> {
    const previous = this.tail;
    let open!: () => void;
    this.tail = new Promise<void>((resolve) => (open = resolve));
    await previous;
    this.release = open;
  }

  leave(): void {
    const open = this.release;
    this.release = undefined;
    open?.();
  }

  async guarded<T>(fn: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await fn();
    } finally {
      this.leave();
    }
  }
}
