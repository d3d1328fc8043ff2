/// <reference lib="dom" />
// An editor tab: saving a draft takes the document lock, then the outbox lock to queue the upload.
import { DOC_LOCK, OUTBOX_LOCK } from './lock-names.js';

async function writeDraft(db: IDBDatabase, text: string): Promise<void> {
  const tx = db.transaction('drafts', 'readwrite');
  tx.objectStore('drafts').put({ id: 'current', text, savedAt: Date.now() });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export async function saveDraft(db: IDBDatabase, text: string): Promise<void> {
  await navigator.locks.request(DOC_LOCK, async () => {
    await writeDraft(db, text);
    await navigator.locks.request(OUTBOX_LOCK, async () => {
      const tx = db.transaction('outbox', 'readwrite');
      tx.objectStore('outbox').add({ kind: 'draft', at: Date.now() });
    });
  });
}
