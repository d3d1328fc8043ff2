/**
 * An Event as a starting gun: several workers get ready and wait on the same Event; the main thread sets it once
 * every worker has said it is ready, and all of them are released together.
 *
 * Run: node test-fixtures/dist/examples/event-release.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Event } from '@deadbolt/runtime';

const WORKERS = 4;

if (isMainThread) {
  const startGun = new Event({ name: 'start' });
  const released: Promise<string>[] = [];
  const ready: Promise<unknown>[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: { startGun: startGun.handle, runner: i } });
    ready.push(new Promise((resolve) => worker.once('message', resolve)));
    released.push(
      new Promise((resolve, reject) => {
        worker.on('message', (m: string) => {
          if (m !== 'ready') resolve(m);
        });
        worker.once('error', reject);
      }),
    );
  }
  await Promise.all(ready);
  console.log(`${WORKERS} workers waiting on the event; setting it`);
  startGun.set();
  for (const line of await Promise.all(released)) console.log(line);
  console.log(`event released all ${WORKERS} waiting workers`);
} else {
  const { startGun: handle, runner } = workerData as { startGun: Event['handle']; runner: number };
  const startGun = Event.from(handle);
  parentPort!.postMessage('ready');
  // wait() blocks this worker until the main thread calls set(); it returns true because the event was set.
  const wasSet = startGun.wait({ timeout: 10_000 });
  parentPort!.postMessage(`runner ${runner} released (event set: ${wasSet})`);
}
