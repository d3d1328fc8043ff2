// A server's config loader: the classic case where sync I/O in a request path hurts. `existsSync` has no
// fs/promises twin: its fix settles `access()` to a boolean; `readFileSync` gets its twin.
import * as fs from 'node:fs';
import { Mutex } from '@deadbolt/runtime';

const reload = new Mutex({ name: 'config-reload' });
let cached: Record<string, unknown> | undefined;

export async function loadConfig(file: string): Promise<Record<string, unknown>> {
  if (cached !== undefined) return cached;
  if (!fs.existsSync(file)) return {}; // expect: sync-io-in-async
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; // expect: sync-io-in-async
  return cached;
}

/** Both rules at once: a lock taken without waiting asynchronously, then sync I/O under it. */
export async function reloadConfig(file: string): Promise<void> {
  using _guard = reload.lock(); // expect: blocking-in-async
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; // expect: sync-io-in-async
}
