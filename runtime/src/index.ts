/** @deadbolt/runtime: locks for worker threads on SharedArrayBuffer and Atomics. Everything public is exported here. */
// First and last: they mark where the runtime's code starts and ends in a bundle (code-start.ts).
import './code-start.js';
export { Mutex, type MutexHandle, type MutexOptions } from './mutex.js';
export { RecursiveMutex, type RecursiveMutexHandle } from './recursive-mutex.js';
export { Semaphore, type SemaphoreHandle, type SemaphoreOptions } from './semaphore.js';
export { Condition, type ConditionHandle, type ConditionOptions } from './condition.js';
export { Event, type EventHandle, type EventOptions } from './event.js';
export { Barrier, type BarrierHandle, type BarrierOptions } from './barrier.js';
export { lockAll, lockAllAsync, type Lockable } from './lock-all.js';
export { LockGuard } from './guard.js';
export { BlockingNotAllowedError, BrokenBarrierError, DeadlockError, LockNotHeldError, LockOrderViolation, OwnerDiedError, SharedMemoryUnavailableError, TimeoutError, type OrderStep } from './errors.js';
export { configure, droppedOrderEdges, type RuntimeConfig } from './checked/configure.js';
export type { AsyncWaitOptions, WaitOptions } from './options.js';
export { startWorker, type StartWorkerOptions, type WebWorker } from './start-worker.js';
export { SharedQueue, jsonCodec, type QueueCodec, type QueueOrder, type SharedQueueHandle, type SharedQueueOptions, type SharedQueueLocalOptions, type PutOptions, type PutAsyncOptions } from './queue/index.js';
import './code-end.js';
