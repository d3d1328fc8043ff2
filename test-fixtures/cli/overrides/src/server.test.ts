// A test reads its fixtures synchronously; the override turns sync-io-in-async off for *.test.ts.
import { readFileSync } from 'node:fs';
import { handle } from './server.js';

export async function readsTheFile(): Promise<boolean> {
  return (await handle('/etc/hostname')) === readFileSync('/etc/hostname', 'utf8');
}
