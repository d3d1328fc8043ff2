// Analysed with the options of the tsconfig beside it, whose base config is missing.
const view = new Int32Array(new SharedArrayBuffer(4));
export function bump(): void {
  view[0] += 1;
}
