/// <reference lib="dom" />
// A database opened by whichever tab holds its Web Lock; the migration step asked for the same lock again.
const DB_LOCK = 'notes-db';

interface Handle {
  run(sql: string): Promise<void>;
}

export async function migrate(handle: Handle, version: number): Promise<void> {
  await navigator.locks.request(DB_LOCK, async () => {
    await handle.run(`PRAGMA user_version = ${version}`);
    await navigator.locks.request(DB_LOCK, async () => {
      await handle.run('CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY)');
    });
  });
}
