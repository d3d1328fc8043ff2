// Intake takes lines under its lock and reports each one to the parser before letting go.
import { Mutex } from '@deadbolt/runtime';
import { noteLine, noteBatch } from './parse.js';

export const intakeLock = new Mutex({ name: 'intake' });
const pending: string[] = [];

export function intake(line: string): void {
  intakeLock.withLock(() => {
    pending.push(line);
    noteLine(line);
  });
}

export function intakeBatch(lines: string[]): void {
  intakeLock.withLock(() => {
    pending.push(...lines);
    noteBatch(lines.length);
  });
}

export function acknowledge(count: number): void {
  intakeLock.withLock(() => {
    pending.splice(0, count);
  });
}
