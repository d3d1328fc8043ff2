// Worker-side caches of user profiles and settings, taken asynchronously: one path holds a guard from `lockAsync`,
// the other runs under `withLockAsync`, and they nest the two locks in opposite orders.
import { Mutex } from '@deadbolt/runtime';

const profilesLock = new Mutex({ name: 'profiles' });
const settingsLock = new Mutex({ name: 'settings' });
const profiles = new Map<string, string>();
const settings = new Map<string, string>();

async function fetchProfile(id: string): Promise<string> {
  return `profile ${id}`;
}

export async function syncProfile(id: string): Promise<void> {
  const guard = await profilesLock.lockAsync();
  try {
    await settingsLock.withLockAsync(async () => {
      profiles.set(id, await fetchProfile(id));
      settings.set(`${id}:synced`, String(Date.now()));
    });
  } finally {
    guard.unlock();
  }
}

export async function importSettings(id: string, values: Record<string, string>): Promise<void> {
  await settingsLock.withLockAsync(async () => {
    const guard = await profilesLock.lockAsync();
    try {
      for (const [key, value] of Object.entries(values)) settings.set(`${id}:${key}`, value);
      profiles.delete(id);
    } finally {
      guard.unlock();
    }
  });
}

export async function exportProfile(id: string): Promise<string> {
  const guard = await profilesLock.lockAsync();
  try {
    return await settingsLock.withLockAsync(async () => `${profiles.get(id)} ${settings.get(`${id}:synced`)}`);
  } finally {
    guard.unlock();
  }
}
