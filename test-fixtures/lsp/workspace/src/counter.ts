// Counters in shared memory updated without Atomics: two workers incrementing at once lose updates.
const counts = new Int32Array(new SharedArrayBuffer(16));

export function hit(slot: number): void {
  counts[slot] += 1;
}

export function miss(): void {
  counts[3]++;
}
