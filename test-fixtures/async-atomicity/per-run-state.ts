// State each run of a function keeps for itself. continue core/indexing/LanceDbIndex.ts: `update()` declares
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
