/**
 * The one map helper the engine's caches share (Node 20 has no `Map.prototype.getOrInsertComputed`).
 */

interface MapLike<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The value stored under `key`, made by `make` and stored on first use. */
export function getOrInsert<K, V>(map: MapLike<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
