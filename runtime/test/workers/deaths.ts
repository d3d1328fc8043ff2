/**
 * Worker for the owner-death scenarios (death-scenarios.ts). It loads the runtime from `workerData.runtime` (so the
 * stress command can run the same scenarios against another build) and obeys one command at a time: work in a tight
 * loop, hold something and then idle, block, crash or exit, or wait for something and report how the wait ended.
 * Every report is a message; the test side bounds every wait for one with a deadline.
 */

import { parentPort, threadId, workerData } from 'node:worker_threads';
import { H_COUNT } from '../../src/queue/layout.js';
import { reportError } from '../harness.js';
import type * as Runtime from '../../src/index.js';

export type LockKind = 'mutex' | 'recursive';

export type DeathCommand =
  /** lock(); x++; unlock() forever (RecursiveMutex: two levels deep), or withPermit(() => x++). */
  | { op: 'loop-lock'; kind: LockKind; lock: unknown; counter: SharedArrayBuffer }
  | { op: 'loop-permit'; semaphore: unknown; counter: SharedArrayBuffer }
  /** Take the lock (or a scoped permit, or arrive at a barrier) and then: stay idle, block on m2, or die later. */
  | { op: 'hold'; what: 'mutex' | 'recursive' | 'permit' | 'barrier'; handle: unknown; then: HoldThen }
  /** Wait as a waiter and report the outcome. */
  | {
      op: 'wait';
      what: 'mutex' | 'recursive' | 'permit' | 'barrier' | 'queue-get' | 'queue-try';
      handle: unknown;
      async: boolean;
      timeout?: number;
      /** Int32 slot 0 is set to 1 (and notified) when the wait ends: for a test whose own thread is blocked. */
      ended?: SharedArrayBuffer;
    }
  /** Keep starting and aborting lockAsync on a mutex until told to stop (a message with op 'stop'). */
  | { op: 'abort-loop'; handle: unknown }
  /** Take the queue's internal lock, leave its count impossible (torn) or not, then die or block. */
  | { op: 'queue-hold'; handle: unknown; torn: boolean; then: 'block' | 'exit' }
  /** put and get in a loop on a queue until killed. */
  | { op: 'queue-loop'; handle: unknown }
  | { op: 'stop' };

export type HoldThen =
  | { kind: 'idle' }
  | { kind: 'block-on'; mutex: unknown }
  | { kind: 'crash-after'; ms: number; how: 'throw' | 'exit' }
  | { kind: 'busy-then-die'; ms: number; how: 'throw' | 'exit' };

/** How a reported wait ended. */
export interface WaitReport {
  event: 'waited';
  outcome: 'taken' | 'owner-died' | 'broken' | 'timeout' | 'error';
  error?: { name: string; message: string };
  ms: number;
}

if (parentPort !== null) {
  const port = parentPort;
  const rt = (await import((workerData as { runtime: string }).runtime)) as typeof Runtime;
  let stopped = false;

  const rebuild = (what: string, handle: unknown): unknown => {
    switch (what) {
      case 'mutex':
        return rt.Mutex.from(handle as Runtime.MutexHandle);
      case 'recursive':
        return rt.RecursiveMutex.from(handle as Runtime.RecursiveMutexHandle);
      case 'permit':
        return rt.Semaphore.from(handle as Runtime.SemaphoreHandle);
      case 'barrier':
        return rt.Barrier.from(handle as Runtime.BarrierHandle);
      default:
        return rt.SharedQueue.from<number>(handle as Runtime.SharedQueueHandle);
    }
  };

  /** Ends the thread holding whatever it holds: no finally runs, nothing is released. */
  const die = (how: 'throw' | 'exit'): never => {
    if (how === 'exit') process.exit(3);
    throw new Error('worker crashed on purpose');
  };

  const block = (): void => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  };

  const hold = (command: Extract<DeathCommand, { op: 'hold' }>): void => {
    const target = rebuild(command.what, command.handle);
    const then = command.then;
    const act = (): void => {
      port.postMessage({ event: 'holding', threadId });
      if (then.kind === 'idle') return;
      if (then.kind === 'block-on') {
        (rebuild('mutex', then.mutex) as Runtime.Mutex).lock();
        return;
      }
      if (then.kind === 'crash-after') {
        setTimeout(() => die(then.how), then.ms);
        return;
      }
      const until = performance.now() + then.ms;
      while (performance.now() < until);
      die(then.how);
    };
    if (command.what === 'mutex' || command.what === 'recursive') {
      const lock = target as Runtime.Mutex;
      lock.lock();
      if (command.what === 'recursive') lock.lock();
      act();
    } else if (command.what === 'permit') {
      // Inside the scoped call while idle or blocked; a synchronous death happens inside it too.
      const sem = target as Runtime.Semaphore;
      if (then.kind === 'idle' || then.kind === 'crash-after') void sem.withPermitAsync(() => new Promise(() => act()));
      else sem.withPermit(act);
    } else {
      void (target as Runtime.Barrier).waitAsync().catch(() => undefined);
      act();
    }
  };

  const wait = async (command: Extract<DeathCommand, { op: 'wait' }>): Promise<WaitReport> => {
    const target = rebuild(command.what, command.handle);
    const options = command.timeout === undefined ? {} : { timeout: command.timeout };
    const start = performance.now();
    const report = (outcome: WaitReport['outcome'], error?: unknown): WaitReport => ({
      event: 'waited',
      outcome,
      ms: performance.now() - start,
      ...(error === undefined ? {} : { error: reportError(error) }),
    });
    try {
      if (command.what === 'mutex' || command.what === 'recursive') {
        const lock = target as Runtime.Mutex;
        try {
          if (command.async) await lock.lockAsync(options);
          else lock.lock(options);
        } catch (error) {
          if (!(error instanceof rt.OwnerDiedError)) throw error;
          lock.markConsistent();
          lock.unlock();
          return report('owner-died');
        }
        lock.unlock();
        return report('taken');
      }
      if (command.what === 'permit') {
        const sem = target as Runtime.Semaphore;
        if (command.async) await sem.withPermitAsync(() => undefined, options);
        else sem.withPermit(() => undefined, options);
        return report('taken');
      }
      if (command.what === 'barrier') {
        const barrier = target as Runtime.Barrier;
        if (command.async) await barrier.waitAsync(options);
        else barrier.wait(options);
        return report('taken');
      }
      const queue = target as Runtime.SharedQueue<number>;
      if (command.what === 'queue-try') {
        // Neither call waits for an item or room; only the queue's own lock can hold them up.
        queue.tryGet();
        queue.tryPut(1);
        return report('taken');
      }
      if (command.async) await queue.getAsync(options);
      else queue.get(options);
      return report('taken');
    } catch (error) {
      if (error instanceof rt.TimeoutError) return report('timeout', error);
      if (error instanceof rt.BrokenBarrierError) return report('broken', error);
      if (error instanceof rt.OwnerDiedError) return report('owner-died', error);
      return report('error', error);
    }
  };

  port.on('message', (command: DeathCommand) => {
    switch (command.op) {
      case 'loop-lock': {
        const lock = rebuild(command.kind, command.lock) as Runtime.Mutex;
        const x = new Int32Array(command.counter);
        port.postMessage({ event: 'started', threadId });
        for (;;) {
          lock.lock();
          if (command.kind === 'recursive') lock.lock();
          x[0]!++;
          if (command.kind === 'recursive') lock.unlock();
          lock.unlock();
        }
      }
      case 'loop-permit': {
        const sem = rebuild('permit', command.semaphore) as Runtime.Semaphore;
        const x = new Int32Array(command.counter);
        port.postMessage({ event: 'started', threadId });
        for (;;) sem.withPermit(() => x[0]!++);
      }
      case 'hold':
        return hold(command);
      case 'wait':
        // Said before the wait begins (a blocking one returns only when it ends); it arrives as the wait starts.
        port.postMessage({ event: 'waiting' });
        void wait(command).then((report) => {
          port.postMessage(report);
          if (command.ended === undefined) return;
          const ended = new Int32Array(command.ended);
          Atomics.store(ended, 0, 1);
          Atomics.notify(ended, 0);
        });
        return;
      case 'abort-loop': {
        const mutex = rebuild('mutex', command.handle) as Runtime.Mutex;
        port.postMessage({ event: 'started', threadId });
        const again = (): void => {
          if (stopped) return void port.postMessage({ event: 'stopped' });
          const controller = new AbortController();
          // A wait that won before the abort holds the lock, and so does one that ends in OwnerDiedError: release both.
          mutex.lockAsync({ signal: controller.signal }).then(
            (guard) => guard.unlock(),
            (error: unknown) => {
              if (error instanceof rt.OwnerDiedError) mutex.unlock();
            },
          );
          controller.abort();
          setImmediate(again);
        };
        again();
        return;
      }
      case 'queue-hold': {
        const queue = command.handle as Runtime.SharedQueueHandle;
        rt.Mutex.from(queue.mutex).lock();
        // A put torn half-way could leave the count impossible; the queue's repair must then report it broken.
        if (command.torn) new Int32Array(queue.buffer)[H_COUNT] = 1_000;
        port.postMessage({ event: 'holding', threadId });
        if (command.then === 'exit') setImmediate(() => process.exit(3));
        else block();
        return;
      }
      case 'queue-loop': {
        const queue = rebuild('queue', command.handle) as Runtime.SharedQueue<number>;
        port.postMessage({ event: 'started', threadId });
        for (let i = 0; ; i++) {
          queue.put(i, { timeout: 60_000 });
          queue.get({ timeout: 60_000 });
        }
      }
      case 'stop':
        stopped = true;
        return;
    }
  });
  port.postMessage({ event: 'ready', threadId });
}
