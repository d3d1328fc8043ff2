// Nothing imports this file, so it is not part of the program and not analysed.
const stray = new Int32Array(new SharedArrayBuffer(4));

export function touch(): void {
  stray[0] += 1;
}
