// Counts page hits in shared memory from several workers without Atomics: concurrent updates can be lost.
const hits = new Int32Array(new SharedArrayBuffer(16));

export function recordHit(page: number): void {
  hits[page] += 1;
}

export function recordVisit(): void {
  hits[0]++;
}

export function total(): number {
  return Atomics.load(hits, 0);
}
