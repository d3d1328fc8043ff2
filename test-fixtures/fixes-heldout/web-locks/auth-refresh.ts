/// <reference lib="dom" />
// An auth client: the token refresh holds the storage lock and then the session lock; sign-out nests them the other
// way. Names are constants with a prefix, as auth libraries scope their locks per storage key.
const STORAGE_LOCK = 'lock:sb-auth-token';
const SESSION_LOCK = 'lock:sb-session';

let accessToken: string | null = null;

async function callRefreshEndpoint(): Promise<string> {
  return 'token';
}

export async function refreshAccessToken(): Promise<string | null> {
  return navigator.locks.request(STORAGE_LOCK, { mode: 'exclusive' }, async () => {
    return navigator.locks.request(SESSION_LOCK, async () => {
      accessToken = await callRefreshEndpoint();
      return accessToken;
    });
  });
}

export async function getSession(): Promise<string | null> {
  return navigator.locks.request(STORAGE_LOCK, async () => navigator.locks.request(SESSION_LOCK, async () => accessToken));
}

export async function signOut(): Promise<void> {
  await navigator.locks.request(SESSION_LOCK, async () => {
    await navigator.locks.request(STORAGE_LOCK, async () => {
      accessToken = null;
    });
  });
}
