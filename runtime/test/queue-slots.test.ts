/**
 * Tests of the queue's shared-memory layout and slot ordering on their own, in one thread: the ring, the
 * stack and the priority heap, and the checks `from()` relies on to reject foreign buffers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODEC_JSON, createQueueViews, openQueueViews, type QueueOrder, type QueueViews } from '../src/queue/layout.js';
import { count, isEmpty, isFull, storeItem, takeItem } from '../src/queue/slots.js';

const bytesOf = (n: number): Uint8Array => new TextEncoder().encode(String(n));
const numberOf = (b: Uint8Array): number => Number(new TextDecoder().decode(b));

function fresh(order: QueueOrder, capacity = 8): QueueViews {
  return createQueueViews(capacity, order, 16, CODEC_JSON);
}

test('fifo ring keeps insertion order across wrap-around', () => {
  const v = fresh('fifo', 3);
  const out: number[] = [];
  let next = 0;
  // Interleave puts and takes so head and tail wrap several times.
  for (let round = 0; round < 5; round++) {
    while (!isFull(v)) storeItem(v, bytesOf(next++), 0);
    out.push(numberOf(takeItem(v)), numberOf(takeItem(v)));
  }
  while (!isEmpty(v)) out.push(numberOf(takeItem(v)));
  assert.deepEqual(out, Array.from({ length: next }, (_, i) => i));
});

test('lifo stack returns the newest item first', () => {
  const v = fresh('lifo', 4);
  for (const n of [1, 2, 3]) storeItem(v, bytesOf(n), 0);
  assert.equal(numberOf(takeItem(v)), 3);
  storeItem(v, bytesOf(4), 0);
  assert.deepEqual([takeItem(v), takeItem(v), takeItem(v)].map(numberOf), [4, 2, 1]);
  assert.equal(count(v), 0);
});

test('priority heap returns smallest priority first, FIFO among equals, under random interleaving', () => {
  const capacity = 64;
  const v = fresh('priority', capacity);
  // A reference model: a list sorted by (priority, insertion number).
  const model: { p: number; seq: number }[] = [];
  let seq = 0;
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  for (let step = 0; step < 5000; step++) {
    const doPut = !isFull(v) && (isEmpty(v) || rand() < 0.55);
    if (doPut) {
      const p = Math.floor(rand() * 5) - 2;
      storeItem(v, bytesOf(seq), p);
      model.push({ p, seq: seq++ });
    } else {
      model.sort((a, b) => a.p - b.p || a.seq - b.seq);
      const expected = model.shift()!;
      assert.equal(numberOf(takeItem(v)), expected.seq, `step ${step}`);
    }
    assert.equal(count(v), model.length);
  }
});

test('items keep their exact bytes, including empty and full-size ones', () => {
  const v = createQueueViews(2, 'fifo', 5, CODEC_JSON);
  storeItem(v, new Uint8Array([]), 0);
  storeItem(v, new Uint8Array([1, 2, 3, 4, 5]), 0);
  assert.deepEqual([...takeItem(v)], []);
  const last = takeItem(v);
  assert.deepEqual([...last], [1, 2, 3, 4, 5]);
  assert.ok(!(last.buffer instanceof SharedArrayBuffer), 'taken bytes are a private copy');
});

test('openQueueViews accepts a queue buffer and explains why it rejects others', () => {
  const v = fresh('priority', 5);
  const reopened = openQueueViews(v.buffer);
  assert.ok(typeof reopened !== 'string');
  assert.equal(reopened.capacity, 5);
  assert.match(String(openQueueViews(new SharedArrayBuffer(4))), /too small/);
  assert.match(String(openQueueViews(new SharedArrayBuffer(4096))), /does not hold a SharedQueue/);
  const truncated = new SharedArrayBuffer(v.buffer.byteLength - 1);
  new Uint8Array(truncated).set(new Uint8Array(v.buffer, 0, truncated.byteLength));
  assert.match(String(openQueueViews(truncated)), /needs/);
});
