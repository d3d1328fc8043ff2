// JavaScript is analysed too: the same lost update as counter.ts, without types to help.
const totals = new Int32Array(new SharedArrayBuffer(8));

export function add(amount) {
  totals[0] += amount;
}
