// Part of the tsconfig's program: its race is reported.
const tally = new Uint32Array(new SharedArrayBuffer(8));

export function add(): void {
  tally[1] += 2;
}
