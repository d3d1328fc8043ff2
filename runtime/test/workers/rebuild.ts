/** Rebuilds primitives from handles in a worker, by handle kind; a Condition is bound to the Mutex named by its mutexId. */

import { Barrier, Condition, Event, Mutex, RecursiveMutex, Semaphore } from '../../src/index.js';
import type { BarrierHandle, ConditionHandle, EventHandle, MutexHandle, RecursiveMutexHandle, SemaphoreHandle } from '../../src/index.js';

export type Primitive = Mutex | RecursiveMutex | Semaphore | Condition | Event | Barrier;

export function rebuildAll(handles: Record<string, { kind: string }>): Record<string, Primitive> {
  const built: Record<string, Primitive> = {};
  const conditions: [string, ConditionHandle][] = [];
  for (const [key, handle] of Object.entries(handles)) {
    switch (handle.kind) {
      case 'deadbolt.Mutex':
        built[key] = Mutex.from(handle as MutexHandle);
        break;
      case 'deadbolt.RecursiveMutex':
        built[key] = RecursiveMutex.from(handle as RecursiveMutexHandle);
        break;
      case 'deadbolt.Semaphore':
        built[key] = Semaphore.from(handle as SemaphoreHandle);
        break;
      case 'deadbolt.Event':
        built[key] = Event.from(handle as EventHandle);
        break;
      case 'deadbolt.Barrier':
        built[key] = Barrier.from(handle as BarrierHandle);
        break;
      case 'deadbolt.Condition':
        conditions.push([key, handle as ConditionHandle]);
        break;
      default:
        throw new TypeError(`rebuildAll: unknown handle kind ${handle.kind}`);
    }
  }
  for (const [key, handle] of conditions) {
    const mutex = Object.values(built).find((p): p is Mutex => p instanceof Mutex && p.id === handle.mutexId);
    if (mutex === undefined) throw new TypeError(`rebuildAll: no mutex #${handle.mutexId} for condition ${key}`);
    built[key] = Condition.from(handle, mutex);
  }
  return built;
}
