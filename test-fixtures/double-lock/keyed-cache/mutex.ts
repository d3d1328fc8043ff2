// A keyed mutex registry in the shape of renovate's lib/util/mutex.ts (c2dd4f85): one async-mutex Mutex per
// namespace and key, created on first use, and `acquireLock(key, namespace)` returning its releaser.
import { Mutex, type MutexInterface } from 'async-mutex';

let mutexes: Record<string, Record<string, Mutex>> = {};

export function initMutexes(): void {
  mutexes = {};
}

export function getMutex(key: string, namespace = 'default'): Mutex {
  mutexes[namespace] ??= {};
  mutexes[namespace][key] ??= new Mutex();
  return mutexes[namespace][key];
}

export function acquireLock(key: string, namespace = 'default'): Promise<MutexInterface.Releaser> {
  return getMutex(key, namespace).acquire();
}
