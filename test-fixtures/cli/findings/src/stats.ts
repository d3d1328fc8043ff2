// Shared statistics updated without Atomics: a lost-update race on every line that writes.
import { fetchTotal } from './io.js';

const counts = new Int32Array(new SharedArrayBuffer(16));

export function hit(slot: number): void {
  counts[slot]++;
}

export async function refresh(): Promise<void> {
  counts[0] = await fetchTotal();
}
