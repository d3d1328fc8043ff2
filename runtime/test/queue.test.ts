/**
 * SharedQueue behaviour in one thread: orders, the capacity bound, size limits, task accounting, timeouts,
 * abort signals, codecs and handle validation. Cross-worker behaviour is in queue-workers.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Mutex, SharedQueue, TimeoutError, type QueueCodec, type SharedQueueHandle } from '../src/index.js';

function drain<T>(q: SharedQueue<T>): T[] {
  const out: T[] = [];
  for (let v = q.tryGet(); v !== undefined; v = q.tryGet()) out.push(v);
  return out;
}

test('fifo is the default order and values round-trip through JSON', () => {
  const q = new SharedQueue<unknown>({ capacity: 4 });
  assert.equal(q.order, 'fifo');
  const values = [{ a: 1, b: [true, null] }, 'text ✓', 42];
  for (const v of values) q.put(v);
  assert.equal(q.size, 3);
  assert.deepEqual([q.get(), q.get(), q.get()], values);
  assert.equal(q.size, 0);
});

test('lifo returns the newest item first', () => {
  const q = new SharedQueue<number>({ capacity: 5, order: 'lifo' });
  for (const n of [1, 2, 3]) q.put(n);
  assert.equal(q.get(), 3);
  q.put(4);
  assert.deepEqual(drain(q), [4, 2, 1]);
});

test('priority: smallest priority first, insertion order among equal priorities', () => {
  const q = new SharedQueue<string>({ capacity: 8, order: 'priority' });
  q.put('low-a', { priority: 5 });
  q.put('urgent', { priority: -1 });
  q.put('mid-a', { priority: 2 });
  q.put('low-b', { priority: 5 });
  q.put('mid-b', { priority: 2 });
  q.put('default'); // priority 0
  assert.deepEqual(drain(q), ['urgent', 'default', 'mid-a', 'mid-b', 'low-a', 'low-b']);
});

test('priority from a key function, overridden by an explicit priority', () => {
  const q = new SharedQueue<{ task: string; cost: number }>({ capacity: 4, order: 'priority', priorityOf: (v) => v.cost });
  q.put({ task: 'big', cost: 10 });
  q.put({ task: 'small', cost: 1 });
  q.put({ task: 'forced', cost: 99 }, { priority: 0 });
  assert.deepEqual(drain(q).map((v) => v.task), ['forced', 'small', 'big']);
});

test('a priority on a non-priority queue, or a NaN priority, is refused before anything is written', () => {
  const fifo = new SharedQueue<number>({ capacity: 2 });
  assert.throws(() => fifo.put(1, { priority: 3 }), TypeError);
  const pq = new SharedQueue<number>({ capacity: 2, order: 'priority' });
  assert.throws(() => pq.put(1, { priority: Number.NaN }), RangeError);
  assert.equal(fifo.size + pq.size, 0);
});

test('capacity bounds the queue: tryPut returns false when full, and true again after a get', () => {
  const q = new SharedQueue<number>({ capacity: 2 });
  assert.equal(q.tryPut(1), true);
  assert.equal(q.tryPut(2), true);
  assert.equal(q.tryPut(3), false);
  assert.equal(q.size, 2);
  assert.equal(q.get(), 1);
  assert.equal(q.tryPut(3), true);
  assert.deepEqual(drain(q), [2, 3]);
  assert.equal(q.tryGet(), undefined);
});

test('an item larger than maxItemBytes throws RangeError and leaves the queue working and intact', () => {
  const q = new SharedQueue<string>({ capacity: 3, maxItemBytes: 16 });
  q.put('before');
  assert.throws(() => q.put('x'.repeat(40)), (e: unknown) => e instanceof RangeError && /maxItemBytes \(16\)/.test(e.message));
  assert.throws(() => q.tryPut('y'.repeat(40)), RangeError);
  assert.equal(q.size, 1);
  q.put('a'.repeat(14)); // exactly 16 bytes with the JSON quotes
  q.put('after');
  assert.deepEqual(drain(q), ['before', 'a'.repeat(14), 'after']);
});

test('JSON cannot encode undefined or a function: TypeError, nothing written', () => {
  const q = new SharedQueue<unknown>({ capacity: 2 });
  assert.throws(() => q.put(undefined), TypeError);
  assert.throws(() => q.put(() => 1), TypeError);
  assert.equal(q.size, 0);
});

test('taskDone counts down puts; join returns at zero; one taskDone too many is a RangeError', () => {
  const q = new SharedQueue<number>({ capacity: 4 });
  q.join({ timeout: 1000 }); // nothing put yet: returns at once
  q.put(1);
  q.put(2);
  q.get();
  q.get();
  assert.throws(() => q.join({ timeout: 20 }), TimeoutError);
  q.taskDone();
  q.taskDone();
  q.join({ timeout: 1000 });
  assert.throws(() => q.taskDone(), (e: unknown) => e instanceof RangeError && /more times than items/.test(e.message));
});

test('get and put time out with TimeoutError after roughly the timeout', () => {
  const q = new SharedQueue<number>({ capacity: 1, name: 'tiny' });
  let t0 = performance.now();
  assert.throws(() => q.get({ timeout: 30 }), (e: unknown) => e instanceof TimeoutError && /'tiny'.*get\(\)/.test(e.message));
  assert.ok(performance.now() - t0 >= 25, 'get waited for its timeout');
  q.put(1);
  t0 = performance.now();
  assert.throws(() => q.put(2, { timeout: 30 }), TimeoutError);
  assert.ok(performance.now() - t0 >= 25, 'put waited for its timeout');
  assert.equal(q.get(), 1, 'the timed-out put wrote nothing');
});

test('async twins time out, honour AbortSignal, and succeed when there is room or an item', { timeout: 10_000 }, async () => {
  const q = new SharedQueue<number>({ capacity: 1 });
  await assert.rejects(q.getAsync({ timeout: 20 }), TimeoutError);
  const aborted = new AbortController();
  aborted.abort(new Error('gave up'));
  await assert.rejects(q.getAsync({ signal: aborted.signal }), /gave up/);
  const later = new AbortController();
  const pending = q.getAsync({ signal: later.signal });
  later.abort(new Error('stopped waiting'));
  await assert.rejects(pending, /stopped waiting/);
  await q.putAsync(7);
  await assert.rejects(q.putAsync(8, { timeout: 20 }), TimeoutError);
  assert.equal(await q.getAsync({ timeout: 1000 }), 7);
  // After all those failed waits the queue and its lock still work.
  q.put(9);
  assert.equal(q.get(), 9);
});

test('getAsync resolves when another coroutine puts, without blocking the event loop', { timeout: 10_000 }, async () => {
  const q = new SharedQueue<string>({ capacity: 2 });
  let ticks = 0;
  const got = q.getAsync();
  // setImmediate callbacks run only if the event loop keeps turning while getAsync waits.
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      if (++ticks === 5) resolve();
      else setImmediate(tick);
    };
    setImmediate(tick);
  });
  q.put('hello');
  assert.equal(await got, 'hello');
  assert.equal(ticks, 5);
});

test('a custom codec is used for both directions and must be passed again to from()', () => {
  const codec: QueueCodec<number> = {
    encode: (n) => new Uint8Array(new Float64Array([n]).buffer),
    decode: (b) => new Float64Array(b.buffer, b.byteOffset, 1)[0]!,
  };
  const q = new SharedQueue<number>({ capacity: 2, codec, maxItemBytes: 8 });
  q.put(Math.PI);
  assert.throws(() => SharedQueue.from(q.handle), (e: unknown) => e instanceof TypeError && /custom codec/.test(e.message));
  const again = SharedQueue.from<number>(q.handle, { codec });
  assert.equal(again.get(), Math.PI);
});

test('from(handle) shares the same queue; foreign and malformed handles are TypeErrors naming what they got', () => {
  const q = new SharedQueue<number>({ capacity: 3, order: 'lifo', name: 'jobs' });
  const twin = SharedQueue.from<number>(structuredClone(q.handle));
  assert.equal(twin.order, 'lifo');
  assert.equal(twin.name, 'jobs');
  twin.put(5);
  assert.equal(q.get(), 5);

  const expectTypeError = (value: unknown, pattern: RegExp): void => {
    assert.throws(() => SharedQueue.from(value as SharedQueueHandle), (e: unknown) => e instanceof TypeError && pattern.test(e.message));
  };
  expectTypeError(undefined, /got undefined/);
  expectTypeError(42, /got a number \(42\)/);
  expectTypeError(new Mutex().handle, /got a deadbolt\.Mutex handle/);
  expectTypeError({ ...q.handle, buffer: new ArrayBuffer(8) }, /'buffer' is an? ArrayBuffer/);
  expectTypeError({ ...q.handle, buffer: new SharedArrayBuffer(4096) }, /does not hold a SharedQueue/);
  expectTypeError({ ...q.handle, version: 99 }, /version 99/);
  expectTypeError({ ...q.handle, notFull: undefined }, /'notFull'/);
});

test('bad options are refused at construction', () => {
  assert.throws(() => new SharedQueue({ capacity: 0 }), RangeError);
  assert.throws(() => new SharedQueue({ capacity: 1.5 }), RangeError);
  assert.throws(() => new SharedQueue({ capacity: 2, maxItemBytes: 0 }), RangeError);
  assert.throws(() => new SharedQueue({ capacity: 2, order: 'random' as 'fifo' }), RangeError);
});
