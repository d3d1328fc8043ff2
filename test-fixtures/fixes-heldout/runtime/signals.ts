// A worker waits for the main thread to publish work through a shared Int32Array, inside an async message loop:
// the pattern of libraries that make async calls synchronous, written here in the async function by mistake.
const IDLE = 0;

export async function nextJob(control: Int32Array, jobs: Int32Array): Promise<number> {
  while (Atomics.load(control, 0) === IDLE) {
    Atomics.wait(control, 0, IDLE, 1_000); // wake at least once a second to notice shutdown
  }
  return Atomics.exchange(jobs, 0, 0);
}

export async function drain(control: Int32Array): Promise<void> {
  Atomics.wait(control, 1, 1);
  Atomics.store(control, 1, 0);
}
