// A re-entrant lock: the thread that holds it may take it again (a count, not a wait).
export class OwnedLock {
  private depth = 0;

  hold(): void {
    this.depth++;
  }

  drop(): void {
    this.depth--;
  }
}
