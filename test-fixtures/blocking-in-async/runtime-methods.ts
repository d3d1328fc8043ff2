// Every blocking method of @deadbolt/runtime inside a coroutine, however the object reaches it; beside each, the
// non-blocking methods of the same object, which must stay quiet.
import { Barrier, Condition, Event, Mutex, RecursiveMutex, Semaphore, SharedQueue, lockAll, type SharedQueueHandle } from '@deadbolt/runtime';
import * as runtime from '@deadbolt/runtime';

interface Job {
  id: number;
}

export async function drain(queue: SharedQueue<Job>): Promise<number> {
  const job = queue.get({ timeout: 100 }); // expect: blocking-in-async
  queue.put({ id: job.id + 1 }); // expect: blocking-in-async
  queue.taskDone();
  queue.join(); // expect: blocking-in-async
  const next = queue.tryGet();
  queue.tryPut({ id: 0 });
  await queue.putAsync(next ?? job);
  await queue.getAsync();
  await queue.joinAsync();
  return queue.size;
}

export async function fromHandle(handle: SharedQueueHandle): Promise<Job> {
  const queue = SharedQueue.from<Job>(handle);
  return queue.get(); // expect: blocking-in-async
}

export class Pipeline {
  private outbox?: SharedQueue<Job>;
  constructor(private readonly inbox: SharedQueue<Job>) {}
  async pump(): Promise<void> {
    this.inbox.put({ id: 1 }, { priority: 2 }); // expect: blocking-in-async
    this.outbox?.put({ id: 2 }); // expect: blocking-in-async
    this.outbox!.join(); // expect: blocking-in-async
  }
}

export async function locks(mutex: Mutex, reentrant: RecursiveMutex): Promise<number> {
  mutex.lock(); // expect: blocking-in-async
  mutex.unlock();
  mutex.tryLock()?.unlock();
  reentrant.lock(); // expect: blocking-in-async
  reentrant.unlock();
  reentrant.withLock(() => 1); // expect: blocking-in-async
  return mutex.withLock(() => 2); // expect: blocking-in-async
}

export async function permits(semaphore: Semaphore): Promise<void> {
  semaphore.acquire({ timeout: 50 }); // expect: blocking-in-async
  semaphore.release();
  semaphore.withPermit(() => undefined); // expect: blocking-in-async
  if (semaphore.tryAcquire()) semaphore.release();
}

export async function signals(changed: Condition, ready: Event, gate: Barrier, flag: { done: boolean }): Promise<void> {
  changed.wait(); // expect: blocking-in-async
  changed.waitFor(() => flag.done); // expect: blocking-in-async
  changed.notify();
  ready.wait(); // expect: blocking-in-async
  ready.set();
  gate.wait(); // expect: blocking-in-async
}

export async function all(a: Mutex, b: Mutex): Promise<void> {
  lockAll([a, b], () => undefined); // expect: blocking-in-async
  runtime.lockAll([a, b], () => undefined); // expect: blocking-in-async
  await runtime.lockAllAsync([a, b], () => undefined);
}
