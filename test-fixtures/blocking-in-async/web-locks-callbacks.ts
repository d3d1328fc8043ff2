/// <reference lib="dom" />
// A browser worker that owns a shared ring buffer: inside the lock's callback it parks the thread on Atomics.wait
// instead of awaiting, so every other task of this worker (and the lock's release) waits too.
declare const ring: Int32Array;

export async function drainRing(consume: (value: number) => void): Promise<void> {
  await navigator.locks.request('ring:reader', async () => {
    while (Atomics.load(ring, 0) === 0) {
      Atomics.wait(ring, 0, 0, 50); // expect: blocking-in-async
    }
    consume(Atomics.exchange(ring, 1, 0));
  });
}
