// State each run of a function (or a stream sink) keeps for itself. continue core/indexing/LanceDbIndex.ts: `update()` declares
// `let lanceTable` and a closure `addComputedLanceDbRows` that opens or creates the table on first use, then awaits it
// once; every run of `update()` has its own variable and its own closure, so no other task writes the table
// variable. The twin below calls its closure for every chunk at once: those calls overlap and race.
import { Mutex } from 'async-mutex';

interface Table {
  add(rows: number[][]): Promise<void>;
}
declare const lanceDb: { openTable(name: string): Promise<Table>; createTable(name: string, rows: number[][]): Promise<Table> };
declare function computeRows(paths: string[]): Promise<number[][]>;

export const indexLock = new Mutex();

export async function update(name: string, paths: string[], existing: string[]): Promise<void> {
  let lanceTable: Table | undefined = undefined;

  const addComputedRows = async (rows: number[][]) => {
    if (lanceTable) {
      if (rows.length > 0) await lanceTable.add(rows);
    } else if (existing.includes(name)) {
      lanceTable = await lanceDb.openTable(name);
      await lanceTable.add(rows);
    } else if (rows.length > 0) {
      lanceTable = await lanceDb.createTable(name, rows);
    }
  };

  const rows = await computeRows(paths);
  await addComputedRows(rows);
}

export async function updateInParallel(name: string, chunks: string[][]): Promise<void> {
  let table: Table | undefined = undefined;

  const addChunk = async (paths: string[]) => {
    const rows = await computeRows(paths);
    if (!table) {
      table = await lanceDb.createTable(name, rows); // expect: async-atomicity
    } else {
      await table.add(rows);
    }
  };

  await Promise.all(chunks.map((paths) => addChunk(paths)));
}

// A stream calls its sink's `write` again only when the last write settled: notesnook
// apps/web/src/utils/streams/zip-stream.ts skips paths already in `written`, awaits the zip writer, then records the
// path. The same check in a plain exported function, called by anyone at any time, races.
declare const zip: { add(path: string, data: Uint8Array): Promise<void> };

export function createZipStream(): WritableStream<{ path: string; data: Uint8Array }> {
  const written = new Set<string>();
  return new WritableStream({
    async write(chunk) {
      if (written.has(chunk.path)) return;
      await zip.add(chunk.path, chunk.data);
      written.add(chunk.path);
    },
  });
}

const archived = new Set<string>();

export async function archive(path: string, data: Uint8Array): Promise<void> {
  if (archived.has(path)) return;
  await zip.add(path, data);
  archived.add(path); // expect: async-atomicity
}
