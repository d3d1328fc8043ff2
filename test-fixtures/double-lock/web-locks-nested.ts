/// <reference lib="dom" />
// Web Locks are not re-entrant: a request for a name this context already holds waits for itself forever.
enum LockName {
  Settings = 'settings',
  Cache = 'cache',
}

async function readSettings(): Promise<Record<string, string>> {
  return navigator.locks.request(LockName.Settings, async () => {
    const raw = localStorage.getItem('settings');
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  });
}

export async function updateSetting(key: string, value: string): Promise<void> {
  await navigator.locks.request(LockName.Settings, async () => {
    const current = await readSettings(); // expect: double-lock
    localStorage.setItem('settings', JSON.stringify({ ...current, [key]: value }));
  });
}

export async function clearCache(): Promise<void> {
  await navigator.locks.request('cache', async () => {
    await navigator.locks.request(LockName.Cache, { mode: 'exclusive' }, async () => { // expect: double-lock
      localStorage.removeItem('cache');
    });
  });
}

// Readers share, but requests are granted in order: `clear` above requests 'cache' exclusively, and once its request
// queues between these two, the inner shared request waits for it while it waits for the outer one.
export async function readTwice(): Promise<void> {
  await navigator.locks.request('cache', { mode: 'shared' }, async () => {
    await navigator.locks.request('cache', { mode: 'shared' }, async () => { // expect: double-lock
      localStorage.getItem('cache');
    });
  });
}

// `ifAvailable` never waits: the callback gets null when the lock is taken.
export async function tryRefresh(): Promise<void> {
  await navigator.locks.request('cache', async () => {
    await navigator.locks.request('cache', { ifAvailable: true }, async (lock) => {
      if (lock) localStorage.setItem('cache', '{}');
    });
  });
}

// Names kept in an `as const` table resolve by their literal types.
const LOCKS = { queue: 'jobs:queue' } as const;

async function enqueue(job: string): Promise<void> {
  await navigator.locks.request(LOCKS.queue, async () => {
    localStorage.setItem('jobs', job);
  });
}

export async function requeueAll(jobs: string[]): Promise<void> {
  await navigator.locks.request('jobs:queue', async () => {
    for (const job of jobs) await enqueue(job); // expect: double-lock
  });
}
