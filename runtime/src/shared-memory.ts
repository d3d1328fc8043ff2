/**
 * What the runtime needs from the engine, checked where it is first needed rather than at module load, so a page
 * without it loads the package and gets a Deadbolt error naming the cause: SharedArrayBuffer (browsers give it only to
 * cross-origin isolated pages) when a primitive is created, and Atomics.waitAsync when an async wait must park.
 */

import { SharedMemoryUnavailableError } from './errors.js';

/** A new SharedArrayBuffer of `bytes` for `who` ("new Mutex"), or SharedMemoryUnavailableError saying how to get one. */
export function sharedBuffer(bytes: number, who: string): SharedArrayBuffer {
  if (typeof SharedArrayBuffer !== 'function') throw noSharedMemory(who);
  return new SharedArrayBuffer(bytes);
}

function noSharedMemory(who: string): SharedMemoryUnavailableError {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  const why =
    isolated === false
      ? 'this page is not cross-origin isolated (crossOriginIsolated is false): serve it with the headers ' +
        "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp' (or 'credentialless')"
      : 'this engine provides no SharedArrayBuffer';
  return new SharedMemoryUnavailableError(`${who}: @deadbolt/runtime needs SharedArrayBuffer, and ${why}`);
}

/** Whether the engine has Atomics.waitAsync (Chromium 87+, Node 16+, Safari 16.4+, Firefox 145+). */
export const hasWaitAsync: boolean = typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function';

/**
 * The rejection of an async wait that must park where the engine has no Atomics.waitAsync. Uncontended async calls
 * never park, so they still work; nothing is taken or counted before this is returned.
 */
export function noWaitAsync(): SharedMemoryUnavailableError {
  return new SharedMemoryUnavailableError(
    'this engine has no Atomics.waitAsync (Firefox before 145, Safari before 16.4), so an async wait cannot park: ' +
      'call the blocking method from a Worker instead, or use an engine that has it',
  );
}
