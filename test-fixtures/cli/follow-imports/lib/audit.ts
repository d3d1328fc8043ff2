// Two imports away from the root file.
const entries = new Uint32Array(new SharedArrayBuffer(4));

export function record(_amount: number): void {
  entries[0]++;
}
