/**
 * Worker for the fault tests (stranded waiters, dead owners). It rebuilds a Mutex `m`, a RecursiveMutex `r`, a
 * Semaphore `s`, a Condition `c` on `m` and a SharedQueue `q`, then obeys commands: start an async wait and say
 * when it is registered, arrive at a Barrier `b` (optionally aborting it and blocking the event loop afterwards, as a thread stuck in sync
 * code does), take a lock and die holding it, or take a lock synchronously and report how that went.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Barrier, Condition, Mutex, RecursiveMutex, Semaphore, SharedQueue } from '../../src/index.js';
import type { BarrierHandle, ConditionHandle, MutexHandle, RecursiveMutexHandle, SemaphoreHandle, SharedQueueHandle } from '../../src/index.js';
import { H_COUNT } from '../../src/queue/layout.js';
import { reportError } from '../harness.js';

export interface FaultHandles {
  m: MutexHandle;
  r: RecursiveMutexHandle;
  s: SemaphoreHandle;
  c: ConditionHandle;
  q: SharedQueueHandle;
  /** Optional: a Barrier `b` for the dead-party tests. */
  b?: BarrierHandle;
  /** Int32 slot 0 stays 0: a blocked worker sleeps on it until it is terminated. */
  gate: SharedArrayBuffer;
}

export type WaitKind = 'mutex' | 'semaphore' | 'condition' | 'queue';

export type FaultCommand =
  | { op: 'wait'; kind: WaitKind; abort?: boolean; block?: boolean }
  | { op: 'hold'; kind: 'mutex' | 'recursive' | 'queue-lock' | 'queue-torn'; die: 'throw' | 'block' | 'exit' }
  | { op: 'arrive'; block: boolean }
  | { op: 'abort-many'; count: number }
  | { op: 'lock'; kind: 'mutex' | 'recursive'; unlock: 'consistent' | 'plain' | 'keep' };

if (parentPort !== null) {
  const port = parentPort;
  const h = workerData as FaultHandles;
  const m = Mutex.from(h.m);
  const r = RecursiveMutex.from(h.r);
  const s = Semaphore.from(h.s);
  const c = Condition.from(h.c, m);
  const q = SharedQueue.from<number>(h.q);
  const b = h.b === undefined ? undefined : Barrier.from(h.b);
  const gate = new Int32Array(h.gate);
  const block = (): void => {
    Atomics.wait(gate, 0, 0);
  };

  const startWait = (kind: WaitKind, signal: AbortSignal): Promise<unknown> => {
    switch (kind) {
      case 'mutex':
        return m.lockAsync({ signal }).then((guard) => guard.unlock());
      case 'semaphore':
        return s.acquireAsync({ signal });
      case 'condition':
        m.lock();
        return c.waitAsync({ signal }).finally(() => m.unlock());
      case 'queue':
        return q.getAsync({ signal });
    }
  };

  port.on('message', async (command: FaultCommand) => {
    if (command.op === 'wait') {
      const controller = new AbortController();
      startWait(command.kind, controller.signal).then(
        (value) => port.postMessage({ event: 'done', value }),
        (error: unknown) => port.postMessage({ event: 'failed', error: reportError(error) }),
      );
      // A queue's getAsync takes its lock before it parks on the condition: let it get there.
      await new Promise((resolve) => setImmediate(resolve));
      port.postMessage({ event: 'parked' });
      if (command.abort === true) controller.abort(new Error('gave up'));
      if (command.block === true) block();
      return;
    }
    if (command.op === 'hold') {
      if (command.kind === 'mutex') m.lock();
      else if (command.kind === 'recursive') r.lock(), r.lock();
      else {
        // Dies inside the queue's critical section; 'queue-torn' first leaves the count impossible, as a put
        // torn half-way through could.
        Mutex.from(h.q.mutex).lock();
        if (command.kind === 'queue-torn') new Int32Array(h.q.buffer)[H_COUNT] = 1_000;
      }
      port.postMessage({ event: 'holding' });
      if (command.die === 'throw') setImmediate(() => {
        throw new Error('worker crashed while holding a lock');
      });
      else if (command.die === 'exit') setImmediate(() => process.exit(3));
      else block();
      return;
    }
    if (command.op === 'abort-many') {
      // Each wait parks (the mutex is held elsewhere) and is then aborted: none may stay behind in V8's list.
      for (let i = 0; i < command.count; i++) {
        const controller = new AbortController();
        const pending = m.lockAsync({ signal: controller.signal }).catch(() => undefined);
        controller.abort();
        await pending;
      }
      port.postMessage({ event: 'aborted' });
      return;
    }
    if (command.op === 'arrive') {
      // waitAsync counts this party in before it returns; the wait itself may never get to run.
      b!.waitAsync().then(
        (index) => port.postMessage({ event: 'passed', index }),
        (error: unknown) => port.postMessage({ event: 'failed', error: reportError(error) }),
      );
      port.postMessage({ event: 'arrived' });
      if (command.block) block();
      return;
    }
    const lock = command.kind === 'mutex' ? m : r;
    let error;
    try {
      lock.lock();
    } catch (caught) {
      error = reportError(caught);
    }
    const held = lock.isHeldByCurrentThread();
    if (held && command.unlock === 'consistent') lock.markConsistent();
    if (held && command.unlock !== 'keep') lock.unlock();
    port.postMessage({ event: 'locked', error, held });
  });
  port.postMessage({ event: 'ready' });
}
