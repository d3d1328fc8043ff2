// In a referenced project of a solution tsconfig: still analysed by `deadbolt check` at the solution's root.
const hits = new Int32Array(new SharedArrayBuffer(4));

export function hit(): void {
  hits[0] += 1;
}
