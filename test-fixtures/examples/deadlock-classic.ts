/**
 * The deadlock most people write first. Two workers share two mutexes, `a` and `b`. `actionA` locks `a`, logs, does
 * a little work, then locks `b`; `actionB` does the same the other way round. Each ends up holding the lock the other
 * one wants, and neither can go on. `npx deadbolt check --fix --unsafe-fixes` rewrites `actionB` to take both with
 * `lockAll`, and then the program always finishes.
 *
 * Run: node test-fixtures/dist/examples/deadlock-classic.js
 * It prints "deadlock" and exits 1 when the workers are still stuck after three seconds, else "both actions finished".
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Event, Mutex } from '@deadbolt/runtime';

interface Handles {
  a: Mutex['handle'];
  b: Mutex['handle'];
  go: Event['handle'];
}

const handles: Handles = isMainThread
  ? { a: new Mutex({ name: 'a' }).handle, b: new Mutex({ name: 'b' }).handle, go: new Event({ name: 'go' }).handle }
  : (workerData as { handles: Handles }).handles;

const a = Mutex.from(handles.a);
const b = Mutex.from(handles.b);
const go = Event.from(handles.go);
const STUCK_AFTER_MS = 3000;

/** Stands for real work done while holding the first lock: a pause long enough for the other worker to take its own. */
function work(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function actionA(): void {
  a.lock();
  console.log('actionA holds a');
  work(100);
  b.lock();
  console.log('actionA holds a and b');
  b.unlock();
  a.unlock();
}

function actionB(): void {
  b.lock();
  console.log('actionB holds b');
  work(100);
  a.lock();
  console.log('actionB holds b and a');
  a.unlock();
  b.unlock();
}

if (isMainThread) {
  const workers = ['A', 'B'].map((job) => new Worker(new URL(import.meta.url), { workerData: { handles, job } }));
  const finished = Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  // Both start at once, so the two first locks are taken before either second one. A worker is 'online' before it
  // has loaded its modules, which on a busy machine can take seconds: each says when it is at go.wait() instead.
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  go.set();
  const timer = setTimeout(() => {
    console.log(`deadlock: after ${STUCK_AFTER_MS} ms each action still holds the lock the other one waits for`);
    process.exit(1);
  }, STUCK_AFTER_MS);
  await finished;
  clearTimeout(timer);
  console.log('both actions finished');
} else {
  parentPort!.postMessage('ready');
  go.wait();
  if ((workerData as { job: string }).job === 'A') actionA();
  else actionB();
}
