/// <reference lib="dom" />
// A background sync tab: flushing the outbox takes the outbox lock, then the document lock to mark it synced.
// Run beside editor-tab.ts, each tab holds one lock and waits for the other forever.
import { DOC_LOCK, OUTBOX_LOCK } from './lock-names.js';

export async function flushOutbox(db: IDBDatabase, upload: (body: unknown) => Promise<void>): Promise<void> {
  await navigator.locks.request(OUTBOX_LOCK, async () => {
    const pending = await new Promise<unknown[]>((resolve) => {
      const request = db.transaction('outbox').objectStore('outbox').getAll();
      request.onsuccess = () => resolve(request.result as unknown[]);
    });
    for (const item of pending) await upload(item);
    await navigator.locks.request(DOC_LOCK, async () => { // expect: lock-order
      db.transaction('drafts', 'readwrite').objectStore('drafts').delete('current');
    });
  });
}
