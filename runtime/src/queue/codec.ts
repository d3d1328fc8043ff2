/**
 * How SharedQueue turns values into bytes for shared memory and back. The default is JSON in UTF-8; a caller
 * with binary data or a faster format passes its own codec (and passes it again to `SharedQueue.from`).
 */

export interface QueueCodec<T> {
  /** Bytes for `value`. Called before the queue's lock is taken, so it may be slow or throw safely. */
  encode(value: T): Uint8Array;
  /** The value for `bytes`, a private copy the codec may keep. Called after the lock is released. */
  decode(bytes: Uint8Array): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON codec. Rejects values JSON cannot represent at top level, so `tryGet()`'s `undefined` always means empty. */
export const jsonCodec: QueueCodec<unknown> = {
  encode(value: unknown): Uint8Array {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new TypeError(`SharedQueue's JSON codec cannot encode ${typeof value} (JSON.stringify gave undefined)`);
    }
    return encoder.encode(text);
  },
  decode(bytes: Uint8Array): unknown {
    return JSON.parse(decoder.decode(bytes));
  },
};
