/// <reference lib="dom" />
// Web Locks reached the ways public code spells them: powersync-js's `getNavigatorLocks(): LockManager` helper
// (packages/web/src/shared/navigator.ts) and `navigator.locks!.request` (DatabaseServer.ts), supabase-auth-js's
// `globalThis.navigator.locks.request(name, { mode, signal }, async (lock) => ...)` (src/lib/locks.ts), a destructured
// `const { locks } = navigator`, optional chaining, and a `LockManager` parameter. A nested request for a name already
// held waits for itself forever, whatever the spelling; one request at a time, or two names, is fine.

const OPEN_DB_LOCK = 'open-db';

function getNavigatorLocks(): LockManager {
  if ('locks' in navigator && navigator.locks) return navigator.locks;
  throw new Error('Navigator locks are not available in an insecure context.');
}

function openDatabase(): Promise<string> {
  return getNavigatorLocks().request(OPEN_DB_LOCK, async () => 'db');
}

// Positive: the helper's lock requested again through the helper while held.
export async function reopen(): Promise<string> {
  return getNavigatorLocks().request(OPEN_DB_LOCK, async () => {
    return openDatabase(); // expect: double-lock
  });
}

// Positive: non-null assertion, as powersync's DatabaseServer holds its lock for the connection's lifetime.
const CONNECTION_LOCK = 'db-connection';
export async function serve(): Promise<void> {
  await navigator.locks!.request(CONNECTION_LOCK, {}, async () => {
    await navigator.locks!.request(CONNECTION_LOCK, async () => undefined); // expect: double-lock
  });
}

// Positive: supabase's spelling with an abort signal (its name is `lock:${storageKey}`; here a constant key).
const STORAGE_KEY = 'sb-auth-token';
export async function refreshSession(signal: AbortSignal): Promise<void> {
  await globalThis.navigator.locks.request(`lock:${STORAGE_KEY}`, { mode: 'exclusive', signal }, async (lock) => {
    if (!lock) return;
    await globalThis.navigator.locks.request(`lock:${STORAGE_KEY}`, { mode: 'exclusive', signal }, async () => undefined); // expect: double-lock
  });
}

// Positive: destructured, and optional chaining.
export async function compact(): Promise<void> {
  const { locks } = navigator;
  await locks.request('journal', async () => {
    await navigator.locks?.request('journal', async () => undefined); // expect: double-lock
  });
}

// Positive: a LockManager handed in as a parameter.
export async function migrate(manager: LockManager): Promise<void> {
  await manager.request('schema', async () => {
    await manager.request('schema', async () => undefined); // expect: double-lock
  });
}

// Negatives: the same spellings, one request at a time or two different names.
export async function openOnce(): Promise<string> {
  return openDatabase();
}

export async function serveTwo(first: string): Promise<void> {
  await navigator.locks!.request(first, async () => {
    await navigator.locks!.request(`${first}-sync`, async () => undefined);
  });
}

export async function refreshOnce(name: string): Promise<void> {
  await globalThis.navigator.locks.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (!lock) return;
    await globalThis.navigator.locks.request(name, { ifAvailable: true }, async () => undefined);
  });
}

export async function compactThenTrim(): Promise<void> {
  const { locks } = navigator;
  await locks.request('journal', async () => undefined);
  await navigator.locks?.request('journal', async () => undefined);
}

export async function migrateTwo(manager: LockManager): Promise<void> {
  await manager.request('schema', async () => {
    await manager.request('data', async () => undefined);
  });
}
