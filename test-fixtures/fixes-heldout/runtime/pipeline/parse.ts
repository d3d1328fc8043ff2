// The parser counts what it saw and archives parsed rows while holding its own lock.
import { Mutex } from '@deadbolt/runtime';
import { archive } from './archive.js';

export const parseLock = new Mutex({ name: 'parse' });
let seen = 0;

export function noteLine(line: string): void {
  parseLock.withLock(() => {
    seen += line.length > 0 ? 1 : 0;
  });
}

export function noteBatch(count: number): void {
  parseLock.withLock(() => {
    seen += count;
  });
}

export function parse(line: string): void {
  parseLock.withLock(() => {
    seen += 1;
    archive(line.split(','));
  });
}

export function parseAll(lines: string[]): void {
  parseLock.withLock(() => {
    for (const line of lines) archive(line.split(','));
  });
}
