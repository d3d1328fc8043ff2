// Server code: sync I/O in a request handler is reported (a warning, by default).
import { readFileSync } from 'node:fs';

export async function handle(path: string): Promise<string> {
  return readFileSync(path, 'utf8');
}
