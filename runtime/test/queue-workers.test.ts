/**
 * SharedQueue across real worker threads: nothing lost and per-producer order kept with several producers and
 * consumers, blocking on a full queue, join/taskDone across threads, handles sent by postMessage, and an
 * async get that keeps the event loop turning while another thread supplies the item.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedQueue } from '../src/index.js';
import { TestWorker, WITHIN_MS } from './harness.js';

type Item = [producer: number, n: number] | null;

/** Bound on a whole exchange of thousands of items between several workers, on a loaded machine. */
const STREAM_MS = 300_000;

/** A queue worker (workers/queue-worker.ts) whose messages are buffered and read with a deadline. */
function start(workerData: object): TestWorker {
  return new TestWorker('queue-worker', workerData);
}

test('several producers and consumers (sync and async): every item arrives exactly once, in order per producer', async () => {
  const PRODUCERS = 3;
  const CONSUMERS = 3;
  const COUNT = 1500;
  // A small capacity makes producers block on a full queue and consumers on an empty one, many times over.
  const q = new SharedQueue<Item>({ capacity: 8, name: 'mpmc' });
  const producers = Array.from({ length: PRODUCERS }, (_, producer) => start({ role: 'produce', handle: q.handle, producer, count: COUNT }));
  // One consumer waits with getAsync, so blocking and async waiters take turns on the same conditions.
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => start({ role: i === 0 ? 'consume-async' : 'consume', handle: q.handle }));
  try {
    // Each reports once, at the end of the whole exchange: bounded for the run, not for one message.
    const consumed = consumers.map((w) => w.next<[number, number][]>('the items it took', STREAM_MS));
    await Promise.all(producers.map((w) => w.next<string>('its done', STREAM_MS)));
    for (let i = 0; i < CONSUMERS; i++) await q.putAsync(null, { timeout: WITHIN_MS });
    const takes = await Promise.all(consumed);

    const seen = new Set<string>();
    for (const taken of takes) {
      const last = new Map<number, number>();
      for (const [producer, n] of taken) {
        const key = `${producer}/${n}`;
        assert.ok(!seen.has(key), `item ${key} delivered twice`);
        seen.add(key);
        assert.ok((last.get(producer) ?? -1) < n, `consumer saw producer ${producer}'s item ${n} after a later one`);
        last.set(producer, n);
      }
    }
    assert.equal(seen.size, PRODUCERS * COUNT, 'no item lost');
    assert.equal(q.size, 0);
    await q.joinAsync({ timeout: WITHIN_MS }); // every consumer called taskDone for each item and each null
  } finally {
    await Promise.all([...producers, ...consumers].map((w) => w.worker.terminate()));
  }
});

test('a full queue blocks put in another worker (timed put times out, tryPut is false) until a get makes room', async () => {
  const q = new SharedQueue<string>({ capacity: 2 });
  q.put('first');
  q.put('second');
  const worker = start({ role: 'blocked-put', handle: q.handle });
  try {
    assert.equal(await worker.next(), 'timed put: TimeoutError');
    assert.equal(await worker.next(), 'tryPut: false');
    assert.equal(q.size, 2);
    const done = worker.next<string>();
    assert.equal(q.get(), 'first');
    assert.equal(await done, 'put done');
    assert.deepEqual([q.get(), q.get()], ['second', 'waited']);
  } finally {
    await worker.worker.terminate();
  }
});

test('handles sent by postMessage rebuild the same queue: lifo and priority order across threads', async () => {
  const worker = start({ role: 'serve' });
  try {
    const lifo = new SharedQueue<number>({ capacity: 4, order: 'lifo' });
    worker.post({ op: 'open', handle: lifo.handle });
    assert.deepEqual(await worker.next(), { op: 'opened', order: 'lifo', capacity: 4 });
    for (const value of [1, 2, 3]) {
      worker.post({ op: 'put', value });
      await worker.next();
    }
    assert.deepEqual([lifo.get(), lifo.get(), lifo.get()], [3, 2, 1]);

    const pq = new SharedQueue<string>({ capacity: 8, order: 'priority' });
    worker.post({ op: 'open', handle: pq.handle });
    await worker.next();
    pq.put('main-5', { priority: 5 });
    for (const [value, priority] of [['worker-1', 1], ['worker-5', 5], ['worker-0', 0]] as const) {
      worker.post({ op: 'put', value, priority });
      await worker.next();
    }
    pq.put('main-1', { priority: 1 });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push(pq.get());
    worker.post({ op: 'get' }); // the worker takes the fourth
    const fromWorker = await worker.next<{ value: string }>();
    order.push(fromWorker.value, pq.get());
    assert.deepEqual(order, ['worker-0', 'worker-1', 'main-1', 'main-5', 'worker-5']);
  } finally {
    await worker.worker.terminate();
  }
});

test('getAsync waits without blocking the event loop while a worker is asked (by message) to put', async () => {
  const q = new SharedQueue<string>({ capacity: 1 });
  const worker = start({ role: 'serve' });
  try {
    worker.post({ op: 'open', handle: q.handle });
    await worker.next();
    const got = q.getAsync({ timeout: WITHIN_MS });
    // These round trips need this thread's event loop: they could not finish if getAsync blocked it.
    for (let i = 0; i < 3; i++) {
      worker.post({ op: 'ping' });
      assert.deepEqual(await worker.next(), { op: 'pong' });
    }
    worker.post({ op: 'put', value: 'from worker' });
    assert.equal(await got, 'from worker');
  } finally {
    await worker.worker.terminate();
  }
});

test('join in the main thread returns once consumer workers have called taskDone for every item', async () => {
  const q = new SharedQueue<Item>({ capacity: 4 });
  const consumers = [start({ role: 'consume', handle: q.handle }), start({ role: 'consume', handle: q.handle })];
  try {
    const consumed = consumers.map((w) => w.next<[number, number][]>('the items it took'));
    for (let n = 0; n < 50; n++) await q.putAsync([0, n], { timeout: WITHIN_MS });
    await q.joinAsync({ timeout: WITHIN_MS });
    assert.equal(q.size, 0, 'join returned only after every item was taken');
    await q.putAsync(null);
    await q.putAsync(null);
    const total = (await Promise.all(consumed)).reduce((sum, t) => sum + t.length, 0);
    assert.equal(total, 50);
  } finally {
    await Promise.all(consumers.map((w) => w.worker.terminate()));
  }
});
