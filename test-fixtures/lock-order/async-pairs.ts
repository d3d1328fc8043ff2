// Coroutines that take two mutexes with lockAsync and release them by hand; `save` takes them the other way round
// from `revoke` and `rotate`.
import { Mutex } from '@deadbolt/runtime';

const sessions = new Mutex({ name: 'sessions' });
const tokens = new Mutex({ name: 'tokens' });
const store = new Map<string, string>();

async function persist(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
}

export async function save(user: string, token: string): Promise<void> {
  await sessions.lockAsync();
  try {
    await tokens.lockAsync(); // expect: lock-order
    try {
      store.set(user, token);
      await persist();
    } finally {
      tokens.unlock();
    }
  } finally {
    sessions.unlock();
  }
}

export async function revoke(user: string): Promise<boolean> {
  const held = await tokens.lockAsync();
  try {
    const session = await sessions.lockAsync();
    try {
      const had = store.delete(user);
      await persist();
      return had;
    } finally {
      session.unlock();
    }
  } finally {
    held.unlock();
  }
}

export async function rotate(user: string, next: string): Promise<void> {
  {
    using _t = await tokens.lockAsync();
    if (!store.has(user)) return;
  }
  using _t = await tokens.lockAsync();
  using _s = await sessions.lockAsync();
  store.set(user, next);
}
