/**
 * SharedQueue across real worker threads: nothing lost and per-producer order kept with several producers and
 * consumers, blocking on a full queue, join/taskDone across threads, handles sent by postMessage, and an
 * async get that keeps the event loop turning while another thread supplies the item.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SharedQueue } from '../src/index.js';

const WORKER = new URL('./workers/queue-worker.js', import.meta.url);

type Item = [producer: number, n: number] | null;

function start(workerData: object): Worker {
  return new Worker(WORKER, { workerData });
}

/** The next message from `worker`, or the error it died with. */
async function next<T>(worker: Worker): Promise<T> {
  const [message] = await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => Promise.reject(e))]);
  return message as T;
}

test('several producers and consumers (sync and async): every item arrives exactly once, in order per producer', { timeout: 30_000 }, async () => {
  const PRODUCERS = 3;
  const CONSUMERS = 3;
  const COUNT = 1500;
  // A small capacity makes producers block on a full queue and consumers on an empty one, many times over.
  const q = new SharedQueue<Item>({ capacity: 8, name: 'mpmc' });
  const producers = Array.from({ length: PRODUCERS }, (_, producer) => start({ role: 'produce', handle: q.handle, producer, count: COUNT }));
  // One consumer waits with getAsync, so blocking and async waiters take turns on the same conditions.
  const consumers = Array.from({ length: CONSUMERS }, (_, i) => start({ role: i === 0 ? 'consume-async' : 'consume', handle: q.handle }));
  try {
    const consumed = consumers.map((w) => next<[number, number][]>(w));
    await Promise.all(producers.map((w) => next<string>(w)));
    for (let i = 0; i < CONSUMERS; i++) await q.putAsync(null, { timeout: 10_000 });
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
    await q.joinAsync({ timeout: 10_000 }); // every consumer called taskDone for each item and each null
  } finally {
    await Promise.all([...producers, ...consumers].map((w) => w.terminate()));
  }
});

test('a full queue blocks put in another worker (timed put times out, tryPut is false) until a get makes room', { timeout: 30_000 }, async () => {
  const q = new SharedQueue<string>({ capacity: 2 });
  q.put('first');
  q.put('second');
  const worker = start({ role: 'blocked-put', handle: q.handle });
  try {
    assert.equal(await next(worker), 'timed put: TimeoutError');
    assert.equal(await next(worker), 'tryPut: false');
    assert.equal(q.size, 2);
    const done = next<string>(worker);
    assert.equal(q.get(), 'first');
    assert.equal(await done, 'put done');
    assert.deepEqual([q.get(), q.get()], ['second', 'waited']);
  } finally {
    await worker.terminate();
  }
});

test('handles sent by postMessage rebuild the same queue: lifo and priority order across threads', { timeout: 30_000 }, async () => {
  const worker = start({ role: 'serve' });
  try {
    const lifo = new SharedQueue<number>({ capacity: 4, order: 'lifo' });
    worker.postMessage({ op: 'open', handle: lifo.handle });
    assert.deepEqual(await next(worker), { op: 'opened', order: 'lifo', capacity: 4 });
    for (const value of [1, 2, 3]) {
      worker.postMessage({ op: 'put', value });
      await next(worker);
    }
    assert.deepEqual([lifo.get(), lifo.get(), lifo.get()], [3, 2, 1]);

    const pq = new SharedQueue<string>({ capacity: 8, order: 'priority' });
    worker.postMessage({ op: 'open', handle: pq.handle });
    await next(worker);
    pq.put('main-5', { priority: 5 });
    for (const [value, priority] of [['worker-1', 1], ['worker-5', 5], ['worker-0', 0]] as const) {
      worker.postMessage({ op: 'put', value, priority });
      await next(worker);
    }
    pq.put('main-1', { priority: 1 });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push(pq.get());
    worker.postMessage({ op: 'get' }); // the worker takes the fourth
    const fromWorker = await next<{ value: string }>(worker);
    order.push(fromWorker.value, pq.get());
    assert.deepEqual(order, ['worker-0', 'worker-1', 'main-1', 'main-5', 'worker-5']);
  } finally {
    await worker.terminate();
  }
});

test('getAsync waits without blocking the event loop while a worker is asked (by message) to put', { timeout: 30_000 }, async () => {
  const q = new SharedQueue<string>({ capacity: 1 });
  const worker = start({ role: 'serve' });
  try {
    worker.postMessage({ op: 'open', handle: q.handle });
    await next(worker);
    const got = q.getAsync({ timeout: 10_000 });
    // These round trips need this thread's event loop: they could not finish if getAsync blocked it.
    for (let i = 0; i < 3; i++) {
      worker.postMessage({ op: 'ping' });
      assert.deepEqual(await next(worker), { op: 'pong' });
    }
    worker.postMessage({ op: 'put', value: 'from worker' });
    assert.equal(await got, 'from worker');
  } finally {
    await worker.terminate();
  }
});

test('join in the main thread returns once consumer workers have called taskDone for every item', { timeout: 30_000 }, async () => {
  const q = new SharedQueue<Item>({ capacity: 4 });
  const consumers = [start({ role: 'consume', handle: q.handle }), start({ role: 'consume', handle: q.handle })];
  try {
    const consumed = consumers.map((w) => next<[number, number][]>(w));
    for (let n = 0; n < 50; n++) await q.putAsync([0, n], { timeout: 10_000 });
    await q.joinAsync({ timeout: 10_000 });
    assert.equal(q.size, 0, 'join returned only after every item was taken');
    await q.putAsync(null);
    await q.putAsync(null);
    const total = (await Promise.all(consumed)).reduce((sum, t) => sum + t.length, 0);
    assert.equal(total, 50);
  } finally {
    await Promise.all(consumers.map((w) => w.terminate()));
  }
});
