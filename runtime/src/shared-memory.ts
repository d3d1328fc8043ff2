/**
 * What the runtime needs from the engine, checked where it is first needed rather than at module load, so a page
 * without it loads the package and gets a Deadbolt error naming the cause: SharedArrayBuffer (browsers give it only to
 * cross-origin isolated pages) when a primitive is created. (An engine without Atomics.waitAsync gets a polling
 * stand-in instead of an error: wait-async.ts.)
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
