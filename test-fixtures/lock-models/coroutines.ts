// Coroutines around in-house locks: a blocking spin lock must not wait on the event loop or span an await;
// the promise-based gate is made for exactly that.
import { SpinLock } from './locks/spin-lock.js';
import { AsyncGate } from './locks/async-gate.js';

const stateLock = new SpinLock();
const gate = new AsyncGate();
let saved = 0;

async function persist(value: number): Promise<void> {
  saved = value;
}

export async function saveBlocking(value: number): Promise<void> {
  stateLock.lock(); // expect: blocking-in-async
  try {
    await persist(value); // expect: await-holding-lock
  } finally {
    stateLock.unlock();
  }
}

export async function saveGated(value: number): Promise<void> {
  await gate.enter();
  try {
    await persist(value);
  } finally {
    gate.leave();
  }
}

export async function saveGuarded(value: number): Promise<void> {
  await gate.guarded(async () => {
    await persist(value);
  });
}

export async function gateTwice(): Promise<void> {
  await gate.guarded(async () => {
    await gate.enter(); // expect: double-lock
    gate.leave();
  });
}

export function readSaved(): number {
  return saved;
}

// The configured gate serialises every writer of `lastSaved`, so the read, the await and the write cannot interleave.
let lastSaved = 0;

export async function saveNext(): Promise<void> {
  await gate.guarded(async () => {
    const previous = lastSaved;
    await persist(previous);
    lastSaved = previous + 1;
  });
}

export async function resetSaved(): Promise<void> {
  await gate.guarded(async () => {
    lastSaved = 0;
  });
}
