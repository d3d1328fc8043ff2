// Vendored code under an ignored folder: its race is not this project's to report.
const ring = new Int32Array(new SharedArrayBuffer(64));

export function push(value: number): void {
  ring[ring[0]! + 1] = value;
  ring[0] += 1;
}
