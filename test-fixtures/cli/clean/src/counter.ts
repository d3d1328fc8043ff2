// A correct counter shared between threads: every update is one Atomics operation.
const counts = new Int32Array(new SharedArrayBuffer(16));

export function hit(slot: number): number {
  return Atomics.add(counts, slot, 1) + 1;
}
