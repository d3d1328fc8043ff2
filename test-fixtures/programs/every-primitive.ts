/**
 * A correct program that touches every traced primitive across workers and ends: a bounded SharedQueue pipeline,
 * a Semaphore limiting a section, an Event to start, a Barrier to finish, a RecursiveMutex taken twice, a Condition
 * signalled under its Mutex, and async acquisitions. Under the adapter it must run to its end without a stop.
 */
import {
  Barrier,
  Condition,
  Event,
  Mutex,
  RecursiveMutex,
  Semaphore,
  SharedQueue,
  type BarrierHandle,
  type ConditionHandle,
  type EventHandle,
  type MutexHandle,
  type RecursiveMutexHandle,
  type SemaphoreHandle,
  type SharedQueueHandle,
} from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const ITEMS = 50;

interface Kit {
  role: 'producer' | 'consumer';
  queue: SharedQueueHandle;
  go: EventHandle;
  done: BarrierHandle;
  permits: SemaphoreHandle;
  nested: RecursiveMutexHandle;
  stateLock: MutexHandle;
  stateChanged: ConditionHandle;
  state: Int32Array;
}

if (isMainThread) {
  const stateLock = new Mutex({ name: 'stateLock' });
  const kit: Omit<Kit, 'role'> = {
    queue: new SharedQueue<number>({ capacity: 2, name: 'jobs' }).handle,
    go: new Event({ name: 'go' }).handle,
    done: new Barrier(3).handle,
    permits: new Semaphore(1, { name: 'permits' }).handle,
    nested: new RecursiveMutex({ name: 'nested' }).handle,
    stateLock: stateLock.handle,
    stateChanged: new Condition(stateLock).handle,
    state: new Int32Array(new SharedArrayBuffer(8)),
  };
  for (const role of ['producer', 'consumer'] as const) new Worker(new URL(import.meta.url), { name: role, workerData: { ...kit, role } });
  Event.from(kit.go).set();
  // The main thread waits for the sum without blocking its event loop, then meets the workers at the barrier.
  const changed = Condition.from(kit.stateChanged, stateLock);
  await stateLock.withLockAsync(async () => {
    while (Atomics.load(kit.state, 1) === 0) await changed.waitAsync();
  });
  await Barrier.from(kit.done).waitAsync();
  console.log(`pipeline done ${Atomics.load(kit.state, 0)}`);
} else {
  const kit = workerData as Kit;
  Event.from(kit.go).wait();
  const queue = SharedQueue.from<number>(kit.queue);
  const permits = Semaphore.from(kit.permits);
  const nested = RecursiveMutex.from(kit.nested);
  if (kit.role === 'producer') {
    for (let i = 1; i <= ITEMS; i++) {
      permits.withPermit(() => {
        nested.withLock(() => nested.withLock(() => queue.put(i)));
      });
    }
    queue.put(-1);
  } else {
    let sum = 0;
    for (let v = queue.get(); v !== -1; v = queue.get()) sum += v;
    const lock = Mutex.from(kit.stateLock);
    const changed = Condition.from(kit.stateChanged, lock);
    await lock.withLockAsync(() => {
      Atomics.store(kit.state, 0, sum);
      Atomics.store(kit.state, 1, 1);
      changed.notifyAll();
    });
  }
  Barrier.from(kit.done).wait();
}
