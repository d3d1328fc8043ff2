// The archive stage of a three-stage worker pipeline (intake -> parse -> archive), one module and one lock each.
// Flushing acknowledges the archived rows back to intake while still holding the archive lock.
import { Mutex } from '@deadbolt/runtime';
import { acknowledge } from './intake.js';

export const archiveLock = new Mutex({ name: 'archive' });
const rows: string[][] = [];

export function archive(fields: string[]): void {
  archiveLock.withLock(() => {
    rows.push(fields);
  });
}

export function flush(count: number): void {
  archiveLock.withLock(() => {
    rows.splice(0, count);
    acknowledge(count);
  });
}
