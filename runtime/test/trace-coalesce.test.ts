/** Batch thinning alone: completed waits vanish, open ones stay, notifies add up per thread and lock, the rest is kept in order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalesce } from '../src/trace/coalesce.js';
import type { TraceEvent } from '../src/trace/events.js';

const begin = (thread: number, lock: number): TraceEvent => ({ type: 'wait-begin', thread, lock, waitKind: 'lock', frames: [], holding: false, time: 1 });
const end = (thread: number, lock: number): TraceEvent => ({ type: 'wait-end', thread, lock, acquired: true, time: 0 });
const notify = (thread: number, lock: number, count: number): TraceEvent => ({ type: 'notified', thread, lock, count });

test('a wait that began and ended in the batch disappears; an open one and a late end stay', () => {
  const out = coalesce([end(3, 9), begin(1, 5), end(1, 5), begin(2, 5)]);
  assert.deepEqual(out, [end(3, 9), begin(2, 5)]);
});

test('notifies of one lock by one thread add up; other locks stay apart', () => {
  assert.deepEqual(coalesce([notify(1, 5, 1), notify(1, 6, 1), notify(1, 5, 2)]), [notify(1, 5, 3), notify(1, 6, 1)]);
});

test('lifecycle events pass through in order', () => {
  const events: TraceEvent[] = [
    { type: 'thread-start', thread: 2, time: 5 },
    { type: 'created', thread: 2, lock: 1, kind: 'Mutex' },
    { type: 'thread-exit', thread: 2, code: 0, time: 6 },
  ];
  assert.deepEqual(coalesce(events), events);
});
