/**
 * Handles: the structured-cloneable description of a primitive that crosses postMessage/workerData, and the
 * validation `from()` applies so a foreign or malformed value fails with a TypeError that says what it got.
 */

/** Bumped when a primitive's shared-memory layout changes, so mismatched runtimes refuse each other's handles. */
/**
 * 2: Mutex and RecursiveMutex gained a recovery slot, Barrier its arrival rows; 3: Semaphore its holder table;
 * 4: lock words name their holder's thread-table token, and Mutex, RecursiveMutex, Semaphore and Condition have a gate.
 */
export const HANDLE_VERSION = 4;

/** What every handle carries. Each primitive's handle adds its own fields (rank, parties, mutexId...). */
export interface HandleBase<Kind extends string> {
  kind: Kind;
  version: typeof HANDLE_VERSION;
  buffer: SharedArrayBuffer;
  id: number;
  name: string | undefined;
}

/** A short description of any value for error messages: "null", "a number (3)", "a deadbolt.Semaphore handle". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value)})`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `a ${typeof value} (${String(value)})`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind === 'string' && kind.startsWith('deadbolt.')) return `a ${kind} handle`;
  const ctor = (value as object).constructor;
  if (ctor !== undefined && ctor !== Object && typeof ctor.name === 'string' && ctor.name !== '') {
    return `${/^[AEIOU]/.test(ctor.name) ? 'an' : 'a'} ${ctor.name}`;
  }
  const keys = Object.keys(value as object);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}`;
}

/**
 * A value as an error message quotes it after "got": strings in double quotes (`got "3"`, so they are not
 * mistaken for numbers), numbers, booleans, null and undefined as written, anything else described (never
 * "[object Object]").
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return describeValue(value);
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  // toString tag rather than instanceof, so a buffer from another realm (vm context, iframe) still passes.
  return Object.prototype.toString.call(value) === '[object SharedArrayBuffer]';
}

/**
 * Checks that `value` is a handle of `kind` whose buffer has exactly `byteLength` bytes, and returns it typed.
 * `who` names the caller ("Mutex.from") in the message.
 */
export function checkHandle<H extends HandleBase<string>>(value: unknown, kind: H['kind'], byteLength: number, who: string): H {
  const fail = (why: string): never => {
    throw new TypeError(`${who}: expected a ${kind} handle, got ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(describeValue(value));
  const h = value as Partial<HandleBase<string>> & Record<string, unknown>;
  if (h.kind !== kind) {
    return fail(typeof h.kind === 'string' ? `a ${h.kind} handle` : `${describeValue(value)} (no 'kind': '${kind}')`);
  }
  if (h.version !== HANDLE_VERSION) return fail(`a ${kind} handle of version ${String(h.version)} (this runtime reads version ${HANDLE_VERSION})`);
  if (!isSharedArrayBuffer(h.buffer)) return fail(`a ${kind} handle whose 'buffer' is ${describeValue(h.buffer)}, not a SharedArrayBuffer`);
  if (h.buffer.byteLength !== byteLength) {
    return fail(`a ${kind} handle whose buffer has ${h.buffer.byteLength} bytes (expected ${byteLength})`);
  }
  if (typeof h.id !== 'number' || !Number.isSafeInteger(h.id) || h.id <= 0) return fail(`a ${kind} handle with a bad 'id' (${describeValue(h.id)})`);
  if (h.name !== undefined && typeof h.name !== 'string') return fail(`a ${kind} handle with a bad 'name' (${describeValue(h.name)})`);
  return value as H;
}

/** Validates an optional rank (a finite number) from options or a handle. */
export function checkRank(rank: unknown, who: string): number | undefined {
  if (rank === undefined) return undefined;
  if (typeof rank !== 'number' || !Number.isFinite(rank)) throw new TypeError(`${who}: rank must be a finite number, got ${quote(rank)}`);
  return rank;
}
