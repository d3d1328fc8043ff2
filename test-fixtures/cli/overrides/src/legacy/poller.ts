// Old code that still waits on Atomics in a coroutine: kept as a warning while it is being replaced.
const flag = new Int32Array(new SharedArrayBuffer(4));

export async function poll(): Promise<void> {
  Atomics.wait(flag, 0, 0, 50);
}
