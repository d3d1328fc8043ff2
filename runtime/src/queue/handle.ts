/**
 * The structured-cloneable handle of a SharedQueue and its validation: what `from()` accepts, and the TypeError
 * sentence for what it rejects (a handle of another primitive, another layout version, a buffer that is not a
 * queue's). It follows the runtime's common handle shape (kind, version, buffer, id, name).
 */
import type { Condition } from '../condition.js';
import { describeValue, HANDLE_VERSION, type HandleBase } from '../handle.js';
import type { Mutex } from '../mutex.js';
import { openQueueViews, type QueueViews } from './layout.js';

export const QUEUE_HANDLE_KIND = 'deadbolt.SharedQueue';

export interface SharedQueueHandle extends HandleBase<typeof QUEUE_HANDLE_KIND> {
  /** The queue's mutex and its three conditions; checked by Mutex.from and Condition.from. */
  readonly mutex: Mutex['handle'];
  readonly notEmpty: Condition['handle'];
  readonly notFull: Condition['handle'];
  readonly allDone: Condition['handle'];
}

/**
 * Checks `value` and opens its queue buffer, or throws a TypeError naming what `value` is and what is wrong.
 * The buffer's own header (magic, capacity, size) is checked too, so a handle with a swapped buffer fails here.
 */
export function openHandle(value: unknown): { handle: SharedQueueHandle; views: QueueViews } {
  const fail = (why: string): never => {
    throw new TypeError(`SharedQueue.from: expected a ${QUEUE_HANDLE_KIND} handle, got ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(describeValue(value));
  const h = value as Partial<Record<keyof SharedQueueHandle, unknown>>;
  if (h.kind !== QUEUE_HANDLE_KIND) return fail(describeValue(value));
  if (h.version !== HANDLE_VERSION) return fail(`a handle of version ${String(h.version)} (this runtime reads ${HANDLE_VERSION})`);
  if (Object.prototype.toString.call(h.buffer) !== '[object SharedArrayBuffer]') {
    return fail(`a handle whose 'buffer' is ${describeValue(h.buffer)}, not a SharedArrayBuffer`);
  }
  if (typeof h.id !== 'number' || !Number.isSafeInteger(h.id) || h.id <= 0) return fail(`a handle with a bad 'id' (${describeValue(h.id)})`);
  if (h.name !== undefined && typeof h.name !== 'string') return fail(`a handle with a bad 'name' (${describeValue(h.name)})`);
  for (const part of ['mutex', 'notEmpty', 'notFull', 'allDone'] as const) {
    if (typeof h[part] !== 'object' || h[part] === null) return fail(`a handle whose '${part}' is ${describeValue(h[part])}`);
  }
  const views = openQueueViews(h.buffer as SharedArrayBuffer);
  if (typeof views === 'string') return fail(`a handle holding ${views}`);
  return { handle: value as SharedQueueHandle, views };
}
