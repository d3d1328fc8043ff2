/// <reference lib="dom" />
// A sync worker: flushing reads the outbox, then writes documents; saving a document queues into the outbox while
// holding the document lock. The flush does its bookkeeping before nesting.
const OUTBOX = 'sync:outbox';
const DOCS = 'sync:docs';

const outbox: string[] = [];
const docs = new Map<string, string>();
let flushes = 0;

export async function flush(): Promise<void> {
  await navigator.locks.request(OUTBOX, async () => {
    flushes += 1;
    await navigator.locks.request(DOCS, async () => {
      for (const id of outbox.splice(0)) docs.delete(id);
    });
  });
}

export async function save(id: string, text: string): Promise<void> {
  await navigator.locks.request(DOCS, async () => {
    docs.set(id, text);
    await navigator.locks.request(OUTBOX, async () => {
      outbox.push(id);
    });
  });
}

export async function compact(): Promise<number> {
  return navigator.locks.request(OUTBOX, async () => navigator.locks.request(DOCS, async () => docs.size + flushes));
}
