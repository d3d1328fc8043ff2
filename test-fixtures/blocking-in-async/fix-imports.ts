// Fixes that take away the last use of a named import remove it too, so `--fix` leaves nothing unused behind.
import { Mutex } from '@deadbolt/runtime';
import { existsSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';

export const mutex = new Mutex({ name: 'fix-imports' });

export async function load(p: string): Promise<string> {
  return readFileSync(p, 'utf8'); // expect: sync-io-in-async
}

export async function size(p: string): Promise<number> {
  return statSync(p).size; // expect: sync-io-in-async
}

/** Sync code keeps `existsSync` in use, so only `statSync` leaves its import. */
export function exists(p: string): boolean {
  return existsSync(p);
}
