/**
 * Worker for the semaphore bound test: inside each permit it raises a shared gauge of current holders,
 * records the highest value seen, and lowers it again. The gauge itself uses Atomics; only the bound is tested.
 * Workers start together (a Barrier) so their loops overlap, and two of them first meet at a second Barrier
 * while each holds a permit, so the bound is certainly reached, not merely never exceeded.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Barrier, Semaphore, type BarrierHandle, type SemaphoreHandle } from '../../src/index.js';

/** Int32 slots of the gauge buffer. */
const G_NOW = 0;
const G_MAX = 1;

interface Job {
  semaphore: SemaphoreHandle;
  gauge: SharedArrayBuffer;
  iterations: number;
  /** All workers wait here first, so their loops overlap. */
  start: BarrierHandle;
  /** Given to two workers: they meet here while each holds a permit, which proves two can be held at once. */
  rendezvous?: BarrierHandle;
}

if (parentPort !== null) {
  const job = workerData as Job;
  const semaphore = Semaphore.from(job.semaphore);
  const gauge = new Int32Array(job.gauge);
  const enter = (): void => {
    const now = Atomics.add(gauge, G_NOW, 1) + 1;
    let max = Atomics.load(gauge, G_MAX);
    while (now > max) {
      const seen = Atomics.compareExchange(gauge, G_MAX, max, now);
      if (seen === max) break;
      max = seen;
    }
  };
  const leave = (): void => {
    Atomics.sub(gauge, G_NOW, 1);
  };
  const inside = (): void => {
    enter();
    // A little work inside the permit so holders overlap.
    let x = 0;
    for (let k = 0; k < 200; k++) x += k;
    if (x < 0) throw new Error('unreachable');
    leave();
  };
  Barrier.from(job.start).wait();
  if (job.rendezvous !== undefined) {
    const rendezvous = Barrier.from(job.rendezvous);
    semaphore.withPermit(() => {
      enter();
      rendezvous.wait();
      leave();
    });
  }
  for (let i = 0; i < job.iterations; i++) {
    if (i % 3 === 2) await semaphore.withPermitAsync(inside);
    else semaphore.withPermit(inside);
  }
  parentPort.postMessage('done');
}
