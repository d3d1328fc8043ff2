// Async acquisition deadlocks too: two coroutines await the two locks in opposite orders.
import { Mutex } from '@deadbolt/runtime';

const users = new Mutex({ name: 'users' });
const sessions = new Mutex({ name: 'sessions' });

export async function login(): Promise<void> {
  await using _u = await users.lockAsync();
  await using _s = await sessions.lockAsync();
}

export async function logout(): Promise<void> {
  await sessions.withLockAsync(async () => {
    await users.withLockAsync(async () => {}); // expect: lock-order
  });
}
