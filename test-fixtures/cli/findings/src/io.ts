// Reads a total from disk, blocking the event loop while it does.
import { readFileSync } from 'node:fs';

export async function fetchTotal(): Promise<number> {
  return Number(readFileSync('/tmp/total.txt', 'utf8'));
}
