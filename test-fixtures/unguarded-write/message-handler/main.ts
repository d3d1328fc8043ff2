// Workers started in a loop whose event handlers run on the main thread, in the shape of the Multithreaded
// JavaScript book's ch5 examples (Unosquare-CoE-JavaScript/leonardo-rios Multithreaded_JavaScript/ch5-notify-when-ready/
// main.js: `for (...) { const worker = new Worker('worker.js'); worker.postMessage({ buffer, name: i });
// worker.onmessage = () => { ... --count ... } }`). No @guardedBy here: the guard is inferred from the handlers that
// reset a worker's total under the lock, so the `exit` handler's reset without it, while the other workers still
// run, is reported. The handlers' `--count` is the main thread's own counter, never locked: not reported.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const totalsLock = new Mutex({ name: 'totals' });
const totals = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
let count = 4;

for (let i = 0; i < 4; i++) {
  const worker = new Worker(new URL('./adder.js', import.meta.url), { workerData: { lock: totalsLock.handle, totals, name: i } });
  worker.on('message', (slot: number) => {
    --count;
    totalsLock.withLock(() => {
      totals[slot] = 0;
    });
  });
  worker.on('error', () => {
    --count;
    totalsLock.withLock(() => {
      totals[i] = -1;
    });
  });
  worker.on('exit', () => {
    totals[i] = 0; // expect: unguarded-write
  });
}
