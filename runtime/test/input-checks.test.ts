/**
 * Issue 14.7 and 16.5, in this thread and in a real worker: a bad timeout (NaN, -1, "10", an object) is refused
 * on every call, also when the lock is free and the call would not wait; messages quote strings, name the lock
 * and never say "[object Object]"; `new SharedQueue()` is a clear TypeError; aborted async waits leave nothing
 * behind in the waiter list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Barrier, Condition, Event, lockAll, Mutex, RecursiveMutex, Semaphore, SharedQueue } from '../src/index.js';
import { call, expectEvent, startAgent, withWorkers } from './harness.js';

const BAD: [unknown, 'RangeError' | 'TypeError', RegExp][] = [
  [NaN, 'RangeError', /got NaN/],
  [-1, 'RangeError', /got -1/],
  ['10', 'TypeError', /got "10"/],
  [{ ms: 5 }, 'TypeError', /got an object with keys ms/],
];

interface Subjects {
  m: Mutex;
  r: RecursiveMutex;
  s: Semaphore;
  c: Condition;
  e: Event;
  b: Barrier;
}

function subjects(): Subjects {
  const m = new Mutex({ name: 'jobs' });
  return {
    m,
    r: new RecursiveMutex({ name: 'tree' }),
    s: new Semaphore(5, { name: 'slots' }),
    c: new Condition(m, { name: 'ready' }),
    e: new Event({ name: 'go' }),
    b: new Barrier(1, { name: 'line' }),
  };
}

/** Calls that would succeed at once (the lock is free, a permit is there, the event is set, one party). */
const CALLS: [keyof Subjects, string, string][] = [
  ['m', 'lock', "Mutex 'jobs'"],
  ['m', 'lockAsync', "Mutex 'jobs'"],
  ['r', 'lock', "RecursiveMutex 'tree'"],
  ['r', 'lockAsync', "RecursiveMutex 'tree'"],
  ['s', 'acquire', "Semaphore 'slots'"],
  ['s', 'acquireAsync', "Semaphore 'slots'"],
  ['c', 'wait', "Condition 'ready'"],
  ['c', 'waitAsync', "Condition 'ready'"],
  ['e', 'wait', "Event 'go'"],
  ['e', 'waitAsync', "Event 'go'"],
  ['b', 'wait', "Barrier 'line'"],
  ['b', 'waitAsync', "Barrier 'line'"],
];

test('bad timeouts are refused on free locks, here, before anything is taken', async () => {
  const x = subjects();
  x.e.set();
  for (const [key, method, label] of CALLS) {
    for (const [timeout, name, got] of BAD) {
      const target = x[key] as unknown as Record<string, (o: unknown) => unknown>;
      let error: unknown;
      try {
        await target[method]!.call(target, { timeout });
      } catch (caught) {
        error = caught;
      }
      const what = `${label}.${method}({ timeout: ${JSON.stringify(timeout)} })`;
      assert.ok(error instanceof Error, `${what} was accepted`);
      assert.equal(error.name, name, what);
      assert.ok(error.message.includes(`${label} (#`) && error.message.includes(`.${method}: timeout`), `${what}: ${error.message}`);
      assert.match(error.message, got, what);
      assert.doesNotMatch(error.message, /\[object Object\]/);
    }
  }
  assert.equal(x.m.isHeldByCurrentThread(), false, 'nothing was taken');
  assert.equal(x.r.depth, 0);
  assert.equal(x.s.available, 5);
  assert.equal(x.b.broken, false, 'no arrival was counted');
});

test('bad timeouts are refused in a worker too, on the first, uncontended call', async () => {
  const x = subjects();
  x.e.set();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: x.m.handle, r: x.r.handle, s: x.s.handle, e: x.e.handle, b: x.b.handle });
    for (const [key, method, label] of CALLS.filter(([key]) => key !== 'c')) {
      for (const [timeout, name, got] of BAD) {
        const reply = await call(agent, key, method, { timeout });
        assert.equal(reply.ok, false, `${label}.${method}(${JSON.stringify(timeout)}) was accepted in the worker`);
        assert.equal(reply.error?.name, name);
        assert.match(reply.error!.message, got);
        assert.ok(reply.error!.message.includes(label));
      }
    }
    assert.equal((await call(agent, 'm', 'isHeldByCurrentThread')).value, false);
  });
});

test('SharedQueue: bad timeouts and constructor arguments are clear errors', async () => {
  assert.throws(() => new (SharedQueue as unknown as new () => unknown)(), (e: Error) => e instanceof TypeError && /new SharedQueue: expected options such as \{ capacity: 16 \}, got undefined/.test(e.message));
  assert.throws(() => new SharedQueue({ capacity: '3' as unknown as number }), (e: Error) => e instanceof TypeError && /capacity must be an integer from 1 to 2\^30, got "3"/.test(e.message));
  assert.throws(() => new SharedQueue({ capacity: 0 }), RangeError);
  const q = new SharedQueue<number>({ capacity: 2, name: 'work' });
  q.put(1);
  assert.throws(() => q.get({ timeout: '10' as unknown as number }), (e: Error) => e instanceof TypeError && /SharedQueue 'work' \(#\d+\)\.get: timeout .* got "10"/.test(e.message));
  assert.throws(() => q.put(2, { timeout: NaN }), RangeError);
  assert.throws(() => q.join({ timeout: -1 }), RangeError);
  await assert.rejects(q.getAsync({ timeout: NaN }), RangeError);
  assert.equal(q.size, 1, 'nothing was taken or put');
});

test('other messages quote strings and describe objects', () => {
  const m = new Mutex({ name: 'jobs' });
  const c = new Condition(m, { name: 'ready' });
  assert.throws(() => c.notify('3' as unknown as number), (e: Error) => e instanceof TypeError && /Condition 'ready' \(#\d+\)\.notify: n must be a non-negative number, got "3"/.test(e.message));
  assert.throws(() => new Semaphore('3' as unknown as number), /got "3"/);
  assert.throws(() => new Condition({} as Mutex), /expected a Mutex, got an empty object/);
  assert.throws(() => lockAll([{} as Mutex], () => {}), /got an empty object/);
  assert.throws(() => new Mutex({ rank: '3' as unknown as number }), /got "3"/);
});

test('aborted async waits in a worker leave no waiter behind (nothing retained until some wake-up)', async () => {
  const m = new Mutex({ name: 'busy' });
  const c = new Condition(m);
  const handles = {
    m: m.handle, c: c.handle, r: new RecursiveMutex().handle, s: new Semaphore(0).handle,
    q: new SharedQueue({ capacity: 1 }).handle, gate: new SharedArrayBuffer(4),
  };
  m.lock();
  await withWorkers(async (start) => {
    const worker = start('faults', handles);
    await expectEvent(worker, 'ready', 'worker');
    worker.post({ op: 'abort-many', count: 500 });
    await expectEvent(worker, 'aborted', 'worker');
    // notify wakes (and counts) whatever still waits on the word: an aborted wait that V8 kept would count.
    assert.equal(Atomics.notify(new Int32Array(m.handle.buffer), 0), 0);
  });
  m.unlock();
});
