/** @deadbolt/runtime: locks for worker threads on SharedArrayBuffer and Atomics. */
export {};
