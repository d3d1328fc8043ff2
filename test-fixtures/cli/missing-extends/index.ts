// Never analysed: the tsconfig beside it cannot be used.
const view = new Int32Array(new SharedArrayBuffer(4));
export function bump(): void {
  view[0] += 1;
}
