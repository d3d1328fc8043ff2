// A server's config loader: the classic case where sync I/O in a request path hurts. `existsSync` has no
// fs/promises twin: its fix settles `access()` to a boolean; `readFileSync` gets its twin.
import * as fs from 'node:fs';
import { Mutex } from '@deadbolt/runtime';

const reload = new Mutex({ name: 'config-reload' });
let cached: Record<string, unknown> | undefined;

export async function loadConfig(file: string): Promise<Record<string, unknown>> {
  if (!fs.existsSync(file)) return {}; // expect: sync-io-in-async
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; // expect: sync-io-in-async
}

/**
 * Checked, then set: the sync read lets no other task in between the check and the write, so awaiting its twin would
 * make the check-then-act race async-atomicity reports (two requests both loading, the later write winning).
 * Reported, with no twin fix.
 */
export async function cachedConfig(file: string): Promise<Record<string, unknown>> {
  if (cached !== undefined) return cached;
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; // expect: sync-io-in-async
  return cached;
}

/** Both rules at once: a lock taken without waiting asynchronously, then sync I/O under it. */
export async function reloadConfig(file: string): Promise<void> {
  using _guard = reload.lock(); // expect: blocking-in-async
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>; // expect: sync-io-in-async
}
