/**
 * A multi-file TypeScript program for the debug adapter, written the way users write one: the main thread starts two
 * workers from worker.ts, which take the same two locks in opposite orders. The first is named by its `.ts` URL, the
 * second the NodeNext way (a `.js` path whose source is worker.ts), so both ways of naming a worker file are run.
 * The adapter runs it from source (its tsc output cannot start the first worker: Node 20 cannot run worker.ts).
 */
import { Barrier, Mutex } from '@deadbolt/runtime';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Transfer } from './worker.js';

const lockA = new Mutex({ name: 'lockA' });
const lockB = new Mutex({ name: 'lockB' });
const bothHolding = new Barrier(2);
const ab: Transfer = { first: lockA.handle, second: lockB.handle, bothHolding: bothHolding.handle };
const ba: Transfer = { first: lockB.handle, second: lockA.handle, bothHolding: bothHolding.handle };
new Worker(new URL('./worker.ts', import.meta.url), { workerData: ab });
new Worker(fileURLToPath(new URL('./worker.js', import.meta.url)), { workerData: ba });
console.log('started two transfers');
