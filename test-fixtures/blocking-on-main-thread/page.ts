// A page script (it uses `document` and `window`): its main thread may not block, so each marked call throws there.
/// <reference lib="dom" />
import { Mutex, Semaphore, lockAll } from '@deadbolt/runtime';

const jobs = new Mutex({ name: 'jobs' });
const other = new Mutex({ name: 'other' });
const slots = new Semaphore(2, { name: 'slots' });
const flag = new Int32Array(new SharedArrayBuffer(4));
const button = document.querySelector('button')!;

button.addEventListener('click', () => {
  jobs.lock(); // expect: blocking-on-main-thread
  jobs.unlock();
  console.log('clicked');
});

window.onresize = function () {
  slots.acquire(); // expect: blocking-on-main-thread
  slots.release();
};

export function waitForFlag(): string {
  return Atomics.wait(flag, 0, 0, 100); // expect: blocking-on-main-thread
}

function render(): void {
  lockAll([jobs, other], () => {}); // expect: blocking-on-main-thread
}

requestAnimationFrame(() => waitForFlag()); // expect: blocking-on-main-thread

jobs.withLock(() => {}); // expect: blocking-on-main-thread

// A coroutine on the page: blocking-in-async reports it (it stalls the page and throws), this rule does not repeat it.
export async function save(): Promise<void> {
  jobs.lock(); // expect: blocking-in-async
  jobs.unlock();
}

// What the page may do: the async twins, and attempts that never wait.
export async function saveRight(): Promise<void> {
  const guard = await jobs.lockAsync();
  guard.unlock();
}

button.addEventListener('dblclick', () => {
  const guard = jobs.tryLock();
  guard?.unlock();
  void jobs.withLockAsync(() => {});
});

// Two waits in one handler: making it async would leave the second throwing, so neither gets the fix.
document.addEventListener('keydown', () => {
  jobs.lock(); // expect: blocking-on-main-thread
  jobs.unlock();
  render(); // expect: blocking-on-main-thread
});
