// Outside the root's folder but imported by it: part of the program, so its race is reported.
import { record } from './audit.js';

const balance = new Int32Array(new SharedArrayBuffer(4));

export function credit(amount: number): void {
  balance[0] += amount;
  record(amount);
}
