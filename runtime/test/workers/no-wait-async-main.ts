/**
 * The main thread of a child process for the test of engines without Atomics.waitAsync (no-wait-async.test.ts): it
 * removes Atomics.waitAsync before loading the runtime, checks the polling stand-in's answers and the timeouts and
 * aborts of waits that poll, runs two no-wait-async workers against each other, and prints what it saw as JSON. It
 * never calls process.exit: the test asserts the process ends on its own, so no polling timer may keep it alive.
 */

import { TestWorker, withDeadline } from '../harness.js';

delete (Atomics as { waitAsync?: unknown }).waitAsync;
const { Barrier, Condition, Event, Mutex, Semaphore } = await import('../../src/index.js');

const ITERATIONS = 150;
const out: Record<string, unknown> = {};

/** How a promise settled: its value, or the name of what it rejected with. */
async function settle(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    return { value: typeof value === 'object' ? 'object' : value };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

// The stand-in itself, against what Atomics.waitAsync answers.
const { waitAsync } = await import('../../src/wait-async.js');
const word = new Int32Array(new SharedArrayBuffer(4));
const settled = (r: ReturnType<typeof waitAsync>): unknown => (r.async ? 'async' : r.value);
out['standIn'] = {
  notEqual: settled(waitAsync(word, 0, 1)),
  zeroTimeout: settled(waitAsync(word, 0, 0, 0)),
  timedOut: await withDeadline((waitAsync(word, 0, 0, 20) as { value: Promise<string> }).value, 'a timed-out poll'),
  changed: await withDeadline(
    (() => {
      const r = waitAsync(word, 0, 0) as { value: Promise<string> };
      setTimeout(() => Atomics.store(word, 0, 1), 20);
      return r.value;
    })(),
    'a poll seeing the change',
  ),
  cancelled: await (() => {
    const r = waitAsync(word, 0, 1) as { value: Promise<string>; cancel(): void };
    r.cancel();
    Atomics.store(word, 0, 2);
    return Promise.race([r.value, new Promise((resolve) => setTimeout(() => resolve('still pending'), 50))]);
  })(),
};

// Waits in one thread: the mutex is held here, so lockAsync must park, and only its timeout or abort can end it.
const alone = new Mutex({ name: 'alone' });
alone.lock();
out['timeout'] = await settle(withDeadline(alone.lockAsync({ timeout: 30 }), 'timeout of lockAsync'));
const controller = new AbortController();
setTimeout(() => controller.abort(), 30);
out['abort'] = await settle(withDeadline(alone.lockAsync({ signal: controller.signal }), 'abort of lockAsync'));
alone.unlock();
const unset = new Event({ name: 'unset' });
const eventAbort = new AbortController();
setTimeout(() => eventAbort.abort(), 30);
out['eventAbort'] = await settle(withDeadline(unset.waitAsync({ signal: eventAbort.signal }), 'abort of Event.waitAsync'));
out['eventTimeout'] = await settle(withDeadline(unset.waitAsync({ timeout: 30 }), 'timeout of Event.waitAsync'));
out['barrierTimeout'] = await settle(withDeadline(new Barrier(2).waitAsync({ timeout: 30 }), 'timeout of Barrier.waitAsync'));

// Two workers contend for one mutex, then wait on what this thread opens.
const mutex = new Mutex({ name: 'counter' });
const condition = new Condition(mutex);
const semaphore = new Semaphore(0);
const event = new Event();
const barrier = new Barrier(3);
const shared = new Int32Array(new SharedArrayBuffer(20));
const job = {
  mutex: mutex.handle,
  condition: condition.handle,
  semaphore: semaphore.handle,
  event: event.handle,
  barrier: barrier.handle,
  shared: shared.buffer,
  iterations: ITERATIONS,
};
const workers = [new TestWorker('no-wait-async', job), new TestWorker('no-wait-async', job)];
out['workerWaitAsync'] = await Promise.all(workers.map((w) => w.next('its report of Atomics.waitAsync')));
const started = performance.now();
await Promise.all(workers.map((w) => w.next('the end of its counting')));
out['countMs'] = Math.round(performance.now() - started);
out['counter'] = shared[0];
out['expected'] = 2 * ITERATIONS;
out['contended'] = shared[3];
semaphore.release();
semaphore.release();
event.set();
await withDeadline(mutex.lockAsync(), 'the mutex after counting');
shared[1] = 1;
condition.notifyAll();
mutex.unlock();
const mainIndex = await withDeadline(barrier.waitAsync(), "the workers' arrival at the barrier");
out['waits'] = [...(await Promise.all(workers.map((w) => w.next('the end of its waits')))), { index: mainIndex }];
out['exits'] = await Promise.all(workers.map((w) => w.exited('after its waits')));
// A holder terminated while another worker waits in lockAsync: the death reaches the waiter by polling.
const orphan = new Mutex({ name: 'orphan' });
const holder = new TestWorker('no-wait-async', { role: 'hold', mutex: orphan.handle });
await holder.next('its hold of the orphan mutex');
const heir = new TestWorker('no-wait-async', { role: 'heir', mutex: orphan.handle });
await heir.next('its lockAsync on the orphan mutex');
await withDeadline(holder.worker.terminate(), 'termination of the holder');
out['heir'] = await heir.next('the end of its lockAsync after the holder died');
out['heirExit'] = await heir.exited('after its lockAsync');
console.log(JSON.stringify(out));
