// Session and storage each have their own mutex; saving takes session then storage, loading took them the other way.
import { Mutex, withTimeout } from 'async-mutex';

interface Session {
  token: string;
  expiresAt: number;
}

const sessionLock = new Mutex();
const storageLock = withTimeout(new Mutex(), 5_000);
let current: Session | undefined;
const stored = new Map<string, string>();

export async function saveSession(session: Session): Promise<void> {
  await sessionLock.runExclusive(async () => {
    current = session;
    await storageLock.runExclusive(async () => {
      stored.set('session', JSON.stringify(session));
    });
  });
}

export async function refreshSession(next: Session): Promise<void> {
  await sessionLock.runExclusive(async () => {
    await storageLock.runExclusive(() => {
      stored.set('session', JSON.stringify(next));
      current = next;
    });
  });
}

export async function loadSession(): Promise<Session | undefined> {
  return storageLock.runExclusive(async () =>
    sessionLock.runExclusive(() => {
      const raw = stored.get('session');
      current = raw === undefined ? undefined : (JSON.parse(raw) as Session);
      return current;
    }),
  );
}

export async function migrateStorage(): Promise<void> {
  const releaseStorage = await storageLock.acquire();
  const releaseSession = await sessionLock.acquire();
  try {
    if (current !== undefined) stored.set('session:v2', JSON.stringify(current));
    stored.delete('session');
  } finally {
    releaseSession();
    releaseStorage();
  }
}
