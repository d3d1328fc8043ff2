// Generated code is ignored: nothing here is reported.
const counters = new Int32Array(new SharedArrayBuffer(8));

export function bump(): void {
  counters[0] += 1;
}
