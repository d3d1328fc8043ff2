/**
 * Handles: every primitive's handle survives postMessage and rebuilds onto the same shared memory; from()
 * with a foreign or malformed handle throws a TypeError naming what it got.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { Barrier, Condition, Event, Mutex, RecursiveMutex, Semaphore } from '../src/index.js';
import { call, startAgent, withDeadline, withWorkers } from './harness.js';

async function viaPostMessage<T>(value: T): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(value);
    const [received] = await withDeadline(once(port2, 'message'), 'arrival of the handles over a MessageChannel');
    return received as T;
  } finally {
    port1.close();
  }
}

test('handles survive postMessage and rebuild onto the same memory', async () => {
  const mutex = new Mutex({ name: 'm', rank: 3 });
  const sent = await viaPostMessage({
    mutex: mutex.handle,
    recursive: new RecursiveMutex().handle,
    semaphore: new Semaphore(2, { name: 's' }).handle,
    condition: new Condition(mutex).handle,
    event: new Event().handle,
    barrier: new Barrier(2).handle,
  });
  const m = Mutex.from(sent.mutex);
  assert.deepEqual([m.id, m.name, m.rank], [mutex.id, 'm', 3]);
  mutex.lock();
  assert.equal(m.tryLock(), undefined, 'the rebuilt mutex sees the lock taken through the original');
  assert.equal(m.isHeldByCurrentThread(), true, 'same thread, same memory: the owner slot is shared too');
  m.unlock();
  assert.equal(mutex.isHeldByCurrentThread(), false);
  assert.equal(Semaphore.from(sent.semaphore).available, 2);
  assert.equal(Condition.from(sent.condition, m).mutex, m);
  assert.equal(Barrier.from(sent.barrier).parties, 2);
  assert.equal(RecursiveMutex.from(sent.recursive).depth, 0);
  assert.equal(Event.from(sent.event).isSet(), false);
});

test('primitives rebuilt in a worker act on the same memory', async () => {
  const event = new Event();
  const semaphore = new Semaphore(0);
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { e: event.handle, s: semaphore.handle });
    await call(agent, 'e', 'set');
    await call(agent, 's', 'release');
    assert.equal(event.isSet(), true);
    assert.equal(semaphore.available, 1);
  });
});

const builders: [string, (h: never) => unknown][] = [
  ['Mutex', (h) => Mutex.from(h)],
  ['RecursiveMutex', (h) => RecursiveMutex.from(h)],
  ['Semaphore', (h) => Semaphore.from(h)],
  ['Event', (h) => Event.from(h)],
  ['Barrier', (h) => Barrier.from(h)],
  ['Condition', (h) => Condition.from(h, new Mutex())],
];

test('from() with another kind of handle names the kind it got', () => {
  const foreign = { Mutex: new Semaphore(1).handle, Semaphore: new Mutex().handle };
  for (const [kind, from] of builders) {
    const other = kind === 'Mutex' ? foreign.Mutex : foreign.Semaphore;
    assert.throws(
      () => from(other as never),
      (e: Error) => e instanceof TypeError && e.message.includes(`deadbolt.${kind} handle`) && e.message.includes(`got a ${other.kind} handle`),
      kind,
    );
  }
});

test('from() with a malformed handle says what it got', () => {
  const good = new Mutex().handle;
  const cases: [unknown, RegExp][] = [
    [null, /got null/],
    [undefined, /got undefined/],
    [42, /got a number \(42\)/],
    ['deadbolt.Mutex', /got a string/],
    [[good], /got an array/],
    [{}, /got an empty object/],
    [{ ...good, version: 9 }, /version 9/],
    [{ ...good, buffer: new ArrayBuffer(8) }, /'buffer' is an ArrayBuffer, not a SharedArrayBuffer/],
    [{ ...good, buffer: new SharedArrayBuffer(3) }, /3 bytes \(expected 20\)/],
    [{ ...good, id: -1 }, /bad 'id'/],
    [{ ...good, name: 7 }, /bad 'name'/],
    [{ ...good, rank: 'high' }, /rank must be a finite number/],
  ];
  for (const [handle, message] of cases) {
    assert.throws(() => Mutex.from(handle as never), (e: Error) => e instanceof TypeError && message.test(e.message), String(message));
  }
});

test('from() refuses a handle of an older layout (version 3: lock words without their holder, no gates)', () => {
  const semaphore = new Semaphore(1).handle;
  assert.equal(semaphore.version, 4);
  assert.throws(() => Semaphore.from({ ...semaphore, version: 3 } as never), (e: Error) => e instanceof TypeError && /version 3 \(this runtime reads version 4\)/.test(e.message));
  assert.throws(() => Semaphore.from({ ...semaphore, buffer: new SharedArrayBuffer(264) }), (e: Error) => e instanceof TypeError && /264 bytes \(expected 400\)/.test(e.message));
  const mutex = new Mutex().handle;
  assert.throws(() => Mutex.from({ ...mutex, buffer: new SharedArrayBuffer(12) }), (e: Error) => e instanceof TypeError && /12 bytes \(expected 20\)/.test(e.message));
});
