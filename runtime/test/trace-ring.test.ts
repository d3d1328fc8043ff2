/**
 * The trace ring and its codec alone: records come back in order with their fields, strings of any length are
 * reassembled, the ring wraps, a full ring parks producers until the collector drains, many producers interleave
 * without loss, and a closed ring refuses writes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { TraceDecoder } from '../src/trace/decoder.js';
import type { TraceEvent } from '../src/trace/events.js';
import { createTraceBuffer, H_PRODUCERS_WAITING, RecordKind, viewsOf } from '../src/trace/layout.js';
import { RingReader, RingWriter, type RawRecord } from '../src/trace/ring.js';
import { pollingDeadline, withDeadline } from './harness.js';

function ring(capacity = 16) {
  const views = viewsOf(createTraceBuffer(capacity, 4));
  return { views, writer: new RingWriter(views), reader: new RingReader(views) };
}

function drainAll(reader: RingReader): RawRecord[] {
  const out: RawRecord[] = [];
  reader.drain((r) => out.push(r));
  return out;
}

test('records come back in order with every field and the timestamp', () => {
  const { writer, reader } = ring();
  writer.write(RecordKind.WaitBegin, 7, 42, 0x101, 9, 1234.5);
  writer.write(RecordKind.WaitEnd, 7, 42, 1, 0, 1240.25);
  assert.deepEqual(drainAll(reader), [
    { kind: RecordKind.WaitBegin, thread: 7, a: 42, b: 0x101, c: 9, time: 1234.5 },
    { kind: RecordKind.WaitEnd, thread: 7, a: 42, b: 1, c: 0, time: 1240.25 },
  ]);
  assert.deepEqual(drainAll(reader), [], 'a drained ring reads nothing more');
});

test('a record carries lock ids above 32 bits whole', () => {
  const { writer, reader } = ring();
  const id = 2 ** 52 + 2 ** 33 + 9;
  writer.write(RecordKind.WaitBegin, 2, id, 0, -1, 1);
  writer.write(RecordKind.Created, 2, 5 * 2 ** 32, 0, -1);
  assert.deepEqual(drainAll(reader).map((r) => r.a), [id, 5 * 2 ** 32]);
});

test('the ring wraps around many times without losing or reordering records', () => {
  const { writer, reader } = ring(4);
  const seen: number[] = [];
  for (let i = 0; i < 50; i++) {
    writer.write(RecordKind.Notified, 1, i, 1, 0);
    if (i % 3 === 2) for (const r of drainAll(reader)) seen.push(r.a);
  }
  for (const r of drainAll(reader)) seen.push(r.a);
  assert.deepEqual(seen, Array.from({ length: 50 }, (_, i) => i));
});

test('strings longer than one slot are reassembled, including multi-byte text', () => {
  const { writer, reader } = ring(64);
  const long = `/very/long/path/${'segment/'.repeat(40)}fichier-é-🔒.ts`;
  writer.writeString(3, 11, long);
  writer.writeString(3, 12, '');
  writer.writeString(3, 13, 'lockA');
  writer.write(RecordKind.Created, 3, 5, 13, 11);
  const decoder = new TraceDecoder();
  const events = drainAll(reader).map((r) => decoder.decode(r)).filter((e): e is TraceEvent => e !== undefined);
  assert.equal(decoder.string(11), long);
  assert.equal(decoder.string(12), '');
  assert.deepEqual(events, [{ type: 'created', thread: 3, lock: 5, kind: 'lockA', name: long }]);
});

test('the decoder turns wait records into events with frames, kind and holding flag', () => {
  const { writer, reader } = ring(64);
  writer.writeString(2, 1, 'transfer\t/app/bank.ts\t30\t9\nmain\t/app/bank.ts\t50\t1');
  writer.write(RecordKind.WaitBegin, 2, 8, 1 /* semaphore */ | 0x100, 1, 99);
  const decoder = new TraceDecoder();
  const [event] = drainAll(reader).map((r) => decoder.decode(r)).filter((e) => e !== undefined);
  assert.deepEqual(event, {
    type: 'wait-begin',
    thread: 2,
    lock: 8,
    waitKind: 'semaphore',
    holding: true,
    time: 99,
    frames: [
      { name: 'transfer', file: '/app/bank.ts', line: 30, column: 9 },
      { name: 'main', file: '/app/bank.ts', line: 50, column: 1 },
    ],
  });
});

test('a full ring parks the producer until the collector drains, then it completes', async () => {
  const { views, reader } = ring(4);
  const producer = new Worker(
    `const { workerData } = require('node:worker_threads');
     import(workerData.ring).then(({ RingWriter }) => import(workerData.layout).then(({ viewsOf }) => {
       const writer = new RingWriter(viewsOf(workerData.sab));
       for (let i = 0; i < 12; i++) writer.write(6, 1, i, 0, 0);
     }));`,
    { eval: true, workerData: { sab: views.sab, ring: new URL('../src/trace/ring.js', import.meta.url).href, layout: new URL('../src/trace/layout.js', import.meta.url).href } },
  );
  // Terminated however the test ends: a producer parked on a ring nobody drains would keep the file alive.
  try {
    const exited = new Promise((resolve) => producer.once('exit', resolve));
    // Wait (on the header word itself) until the producer reports itself parked on the full ring.
    const parked = pollingDeadline('producer parked on the full ring');
    while (Atomics.load(views.i32, H_PRODUCERS_WAITING) === 0) {
      parked();
      const r = Atomics.waitAsync(views.i32, H_PRODUCERS_WAITING, 0, 50);
      if (r.async) await r.value;
    }
    const seen: number[] = [];
    const drained = pollingDeadline('drain of all 12 records');
    while (seen.length < 12) {
      drained();
      for (const r of drainAll(reader)) seen.push(r.a);
      if (seen.length < 12) await new Promise((resolve) => setImmediate(resolve));
    }
    await withDeadline(exited, 'exit of the producer once drained');
    assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i));
  } finally {
    await producer.terminate();
  }
});

test('two producers interleave without losing a record, each in its own order', async () => {
  const { views, reader } = ring(64);
  const code = `const { workerData } = require('node:worker_threads');
    import(workerData.ring).then(({ RingWriter }) => import(workerData.layout).then(({ viewsOf }) => {
      const writer = new RingWriter(viewsOf(workerData.sab));
      for (let i = 0; i < 5000; i++) writer.write(6, workerData.thread, i, 0, 0);
    }));`;
  const urls = { ring: new URL('../src/trace/ring.js', import.meta.url).href, layout: new URL('../src/trace/layout.js', import.meta.url).href };
  const workers = [1, 2].map((thread) => new Worker(code, { eval: true, workerData: { sab: views.sab, thread, ...urls } }));
  try {
    const done = Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
    let finished = false;
    void done.then(() => (finished = true));
    const next = new Map([[1, 0], [2, 0]]);
    let total = 0;
    const drained = pollingDeadline('exit of both producers with all 10000 records drained');
    while (!finished || total < 10000) {
      drained();
      for (const r of drainAll(reader)) {
        assert.equal(r.a, next.get(r.thread), `thread ${r.thread} record out of order`);
        next.set(r.thread, r.a + 1);
        total++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(total, 10000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
});

test('a closed ring refuses writes instead of blocking the program', () => {
  const { writer, reader } = ring(4);
  reader.close();
  assert.equal(writer.write(RecordKind.Notified, 1, 1, 1, 0), false);
  assert.equal(writer.writeString(1, 1, 'x'), false);
});
