// Async arrows whose body is a single expression are coroutines too: the expression runs on the event loop.
import { Mutex } from '@deadbolt/runtime';
import { readFileSync } from 'node:fs';

const mutex = new Mutex({ name: 'expression-bodies' });
const signal = new Int32Array(new SharedArrayBuffer(4));

function nap(ms: number): void {
  Atomics.wait(signal, 0, 0, ms);
}

/** A sync helper written as an arrow with an expression body: it blocks just the same. */
const doze = (ms: number): string => Atomics.wait(signal, 0, 0, ms);

export const load = async (p: string): Promise<Buffer> => readFileSync(p); // expect: sync-io-in-async
export const rest = async (): Promise<void> => nap(5); // expect: blocking-in-async
export const restLonger = async (): Promise<string> => doze(5); // expect: blocking-in-async
export const tasks = [async (): Promise<number> => mutex.withLock(() => 1)]; // expect: blocking-in-async
export const size = async (p: string): Promise<number> => readFileSync(p).length; // expect: sync-io-in-async
export const handlers = { onLoad: async (p: string): Promise<string> => readFileSync(p, 'utf8') }; // expect: sync-io-in-async

// Not coroutines, or not blocking: nothing to report.
export const syncLoad = (p: string): Buffer => readFileSync(p);
export const polite = async (): Promise<number> => mutex.withLockAsync(() => 1);
export const later = async (): Promise<void> => void setTimeout(() => nap(5), 0);
