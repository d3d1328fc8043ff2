/**
 * A Semaphore of 5 guarding a pool of connections: twelve workers each "use a connection" a few times, and a
 * shared gauge records how many hold a permit at once. The maximum seen never exceeds the 5 permits.
 *
 * Run: node test-fixtures/dist/examples/semaphore-max-concurrency.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Semaphore } from '@deadbolt/runtime';

const PERMITS = 5;
const WORKERS = 12;
const USES = 5;
// Gauge layout: [in use now, most ever in use at once].
const IN_USE = 0;
const MAX_IN_USE = 1;

interface Shared {
  connections: Semaphore['handle'];
  gauge: SharedArrayBuffer;
}

/** Raises the recorded maximum to `seen` if it is larger, with a compare-exchange loop so racing updates all count. */
function recordMax(gauge: Int32Array<SharedArrayBuffer>, seen: number): void {
  let max = Atomics.load(gauge, MAX_IN_USE);
  while (seen > max) {
    const previous = Atomics.compareExchange(gauge, MAX_IN_USE, max, seen);
    if (previous === max) return;
    max = previous;
  }
}

function useConnections(shared: Shared): void {
  const connections = Semaphore.from(shared.connections);
  const gauge = new Int32Array(shared.gauge);
  const idle = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < USES; i++) {
    connections.withPermit(() => {
      recordMax(gauge, Atomics.add(gauge, IN_USE, 1) + 1);
      Atomics.wait(idle, 0, 0, 20); // stands in for 20 ms of talking to the database
      Atomics.sub(gauge, IN_USE, 1);
    });
  }
}

if (isMainThread) {
  const shared: Shared = {
    connections: new Semaphore(PERMITS, { name: 'connections' }).handle,
    gauge: new SharedArrayBuffer(8),
  };
  await Promise.all(
    Array.from(
      { length: WORKERS },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: shared });
          worker.once('exit', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  const gauge = new Int32Array(shared.gauge);
  console.log(`${WORKERS} workers x ${USES} uses through a Semaphore of ${PERMITS}`);
  console.log(`max concurrency seen: ${gauge[MAX_IN_USE]} (permits: ${PERMITS})`);
} else {
  useConnections(workerData as Shared);
  parentPort!.close();
}
