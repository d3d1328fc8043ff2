// A Node 24 service: the main thread appends to the journal then updates the index; its compaction worker does
// the reverse. Web Locks from worker_threads are shared by every thread of the process, so they deadlock.
import { Worker, locks } from 'node:worker_threads';

const JOURNAL = 'store:journal';
const INDEX = 'store:index';

export async function append(record, journal, index) {
  await locks.request(JOURNAL, async () => {
    journal.push(record);
    await locks.request(INDEX, async () => { // expect: lock-order
      index.set(record.key, journal.length - 1);
    });
  });
}

new Worker(new URL('./compactor.mjs', import.meta.url));
