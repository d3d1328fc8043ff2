// One file is both the main thread and the workers: the main branch starts two copies of itself with the two
// locks in swapped roles, passed in a workerData object held by a variable.
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { Mutex, type MutexHandle } from '@deadbolt/runtime';

interface Roles {
  outer: MutexHandle;
  inner: MutexHandle;
}

if (isMainThread) {
  const left = new Mutex({ name: 'left' });
  const right = new Mutex({ name: 'right' });
  const forward: Roles = { outer: left.handle, inner: right.handle };
  const backward: Roles = { outer: right.handle, inner: left.handle };
  new Worker(new URL(import.meta.url), { workerData: forward });
  new Worker(new URL(import.meta.url), { workerData: backward });
} else {
  work(workerData as Roles);
}

function work(roles: Roles): void {
  const outer = Mutex.from(roles.outer);
  const inner = Mutex.from(roles.inner);
  using _o = outer.lock();
  using _i = inner.lock(); // expect: lock-order
}
