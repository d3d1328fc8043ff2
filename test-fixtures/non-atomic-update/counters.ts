// Read-modify-writes of shared typed arrays with no lock: every marked line loses updates under contention.
import { workerData } from 'node:worker_threads';

const shared = new SharedArrayBuffer(64);
const counts = new Int32Array(shared);
const flags = new Uint8Array(new SharedArrayBuffer(8));
const totals = new Float64Array(shared);
const big = new BigInt64Array(new SharedArrayBuffer(16));
const fromWorker = new Int32Array(workerData.buffer);

export function reset(): void {
  // Plain stores and private updates come first in the file: they must not hide the races after them.
  counts[8] = 0;
  const local = [0];
  local[0]++;
}

export function record(i: number, amount: number): number {
  counts[i] += amount; // expect: non-atomic-update
  counts[0]++; // expect: non-atomic-update
  --counts[1]; // expect: non-atomic-update
  flags[i] |= 4; // expect: non-atomic-update
  counts[i] = counts[i] + amount; // expect: non-atomic-update
  Atomics.store(counts, 2, Atomics.load(counts, 2) + 1); // expect: non-atomic-update
  totals[3] += 0.5; // expect: non-atomic-update
  counts[4] *= 2; // expect: non-atomic-update
  big[0]++; // expect: non-atomic-update
  fromWorker[i] -= 1; // expect: non-atomic-update
  return counts[5]++; // expect: non-atomic-update
}

export function withNonNull(): void {
  counts[7]! -= 1; // expect: non-atomic-update
}

export function nextTicket(): number {
  return ++counts[6]; // expect: non-atomic-update
}

export class Stats {
  private readonly hits: Int32Array;
  constructor(buffer: SharedArrayBuffer) {
    this.hits = new Int32Array(buffer);
  }
  hit(slot: number): void {
    this.hits[slot]++; // expect: non-atomic-update
  }
}

export function typed(view: Int32Array<SharedArrayBuffer>): void {
  view[0] ^= 1; // expect: non-atomic-update
}

export function twoSteps(): void {
  const current = counts[10];
  counts[10] = current + 1; // expect: non-atomic-update
}

export function readLogWrite(): void {
  const before = counts[12];
  console.log('neighbour', counts[13]);
  counts[12] = before + 1; // expect: non-atomic-update
}

export function plainReadThenStore(scale: number): void {
  const seen = counts[11];
  Atomics.store(counts, 11, seen * scale); // expect: non-atomic-update
}
