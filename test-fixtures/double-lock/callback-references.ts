// Functions passed by name, as methods or bound methods, to calls that run them before returning: they run holding
// what the caller holds, exactly like an arrow written in place.
import { Mutex } from '@deadbolt/runtime';

const registry = new Mutex({ name: 'registry' });
const plugins = new Map<string, () => void>();

function reload(): void {
  registry.lock();
  try {
    plugins.clear();
  } finally {
    registry.unlock();
  }
}

export function reloadUnderLock(): void {
  registry.withLock(reload); // expect: double-lock
}

export function reloadAlone(): void {
  reload();
}

/** The callback takes nothing: nothing to report. */
function countPlugins(): number {
  return plugins.size;
}

export function countUnderLock(): number {
  return registry.withLock(countPlugins);
}

class Cache {
  private readonly lock = new Mutex({ name: 'cache' });
  private entries = new Map<string, string>();

  private evict(key: string): void {
    using _ = this.lock.lock();
    this.entries.delete(key);
  }

  evictAll(keys: string[]): void {
    using _ = this.lock.lock();
    keys.forEach(this.evict, this); // expect: double-lock
  }

  evictBound(keys: string[]): void {
    this.lock.withLock(() => {
      keys.forEach(this.evict.bind(this)); // expect: double-lock
    });
  }

  /** Released before the loop: each evict takes the lock alone. */
  evictLater(keys: string[]): void {
    this.lock.withLock(() => this.entries.size);
    keys.forEach(this.evict.bind(this));
  }

  /** Deferred: `.then` runs the step after this function returned and released. */
  refresh(load: Promise<string[]>): void {
    using _ = this.lock.lock();
    void load.then(this.evictAllLater);
  }

  private evictAllLater = (keys: string[]): void => {
    keys.forEach((k) => this.evict(k));
  };
}

export const cache = new Cache();

const audit = new Mutex({ name: 'audit' });

const record = (line: string): void => {
  audit.withLock(() => console.log(line));
};

export function recordAll(lines: string[]): void {
  audit.withLock(() => {
    lines.forEach(record); // expect: double-lock
  });
}

/** The same callback outside the lock is fine. */
export function recordEach(lines: string[]): void {
  lines.forEach(record);
}

/** A different lock in the callback is nesting, not re-entry. */
const journal = new Mutex({ name: 'journal' });
function writeJournal(): void {
  journal.withLock(() => undefined);
}
export function auditThenJournal(): void {
  audit.withLock(writeJournal);
}
