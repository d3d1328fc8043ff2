// A helper module: sync code may block freely; only its callers inside coroutines are reported.
export function spinFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

export function waitForever(): void {}
