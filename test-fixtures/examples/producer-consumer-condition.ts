/**
 * Producer/consumer on a Condition: a producer worker fills a small shared ring buffer and a consumer worker
 * drains it. Each waits on the condition while the buffer is full (producer) or empty (consumer), and notifies
 * the other after changing it. The consumer checks that it saw every number once, in order.
 *
 * Run: node test-fixtures/dist/examples/producer-consumer-condition.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Condition, Mutex } from '@deadbolt/runtime';

const SLOTS = 8;
const ITEMS = 5_000;
// Ring layout in one Int32Array: [count, head, slot0 .. slot7].
const COUNT = 0;
const HEAD = 1;
const FIRST_SLOT = 2;

interface Shared {
  bufferLock: Mutex['handle'];
  changed: Condition['handle'];
  ring: SharedArrayBuffer;
}

function openShared(shared: Shared) {
  const bufferLock = Mutex.from(shared.bufferLock);
  return { bufferLock, changed: Condition.from(shared.changed, bufferLock), ring: new Int32Array(shared.ring) };
}

function produce(shared: Shared): void {
  const { bufferLock, changed, ring } = openShared(shared);
  for (let n = 1; n <= ITEMS; n++) {
    const guard = bufferLock.lock();
    try {
      while (ring[COUNT] === SLOTS) changed.wait();
      ring[FIRST_SLOT + ((ring[HEAD]! + ring[COUNT]!) % SLOTS)] = n;
      ring[COUNT]! += 1;
      changed.notifyAll();
    } finally {
      guard.unlock();
    }
  }
}

function consume(shared: Shared): string {
  const { bufferLock, changed, ring } = openShared(shared);
  let expected = 1;
  let sum = 0;
  for (let i = 0; i < ITEMS; i++) {
    const guard = bufferLock.lock();
    let n: number;
    try {
      while (ring[COUNT] === 0) changed.wait();
      n = ring[FIRST_SLOT + ring[HEAD]!]!;
      ring[HEAD] = (ring[HEAD]! + 1) % SLOTS;
      ring[COUNT]! -= 1;
      changed.notifyAll();
    } finally {
      guard.unlock();
    }
    if (n !== expected) return `out of order: got ${n}, expected ${expected}`;
    expected++;
    sum += n;
  }
  return `consumer received ${ITEMS} items in order through ${SLOTS} slots, sum ${sum}`;
}

if (isMainThread) {
  const bufferLock = new Mutex({ name: 'buffer' });
  const shared: Shared = {
    bufferLock: bufferLock.handle,
    changed: new Condition(bufferLock).handle,
    ring: new SharedArrayBuffer((FIRST_SLOT + SLOTS) * 4),
  };
  const results = await Promise.all(
    ['produce', 'consume'].map(
      (role) =>
        new Promise<string>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { shared, role } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  console.log(`producer put ${ITEMS} items`);
  console.log(results[1]);
} else {
  const { shared, role } = workerData as { shared: Shared; role: string };
  if (role === 'produce') {
    produce(shared);
    parentPort!.postMessage('done');
  } else {
    parentPort!.postMessage(consume(shared));
  }
}
