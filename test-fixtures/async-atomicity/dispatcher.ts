// A dispatcher that takes one request at a time: absurd-sql src/indexeddb/worker.js reads each request from a
// SharedArrayBuffer channel in `listen`, awaits its handler, and calls itself for the next one only then (tail-call
// style), so `handleLock` (check, await, set) and `handleUnlock` (await, delete) never overlap. `serve` below starts a
// handler without awaiting it before it reads the next request: its handlers overlap and race.
declare class Reader {
  constructor(buffer: SharedArrayBuffer);
  string(): string;
  done(): boolean;
}
declare class Writer {
  constructor(buffer: SharedArrayBuffer);
  int32(value: number): void;
  finalize(): void;
}
declare class Transaction {
  constructor(db: unknown);
  prefetchFirstBlock(timeout: number): Promise<unknown>;
  waitComplete(): Promise<void>;
}
declare function loadDb(name: string): Promise<unknown>;
declare function connect(name: string): Promise<{ close(): void }>;

const transactions = new Map<string, Transaction>();

async function handleLock(writer: Writer, name: string): Promise<void> {
  const current = transactions.get(name);
  if (current === undefined) {
    const trans = new Transaction(await loadDb(name));
    await trans.prefetchFirstBlock(500);
    transactions.set(name, trans);
  }
  writer.int32(0);
  writer.finalize();
}

async function handleUnlock(writer: Writer, name: string): Promise<void> {
  const trans = transactions.get(name);
  if (trans) {
    await trans.waitComplete();
    transactions.delete(name);
  }
  writer.int32(0);
  writer.finalize();
}

async function listen(reader: Reader, writer: Writer): Promise<void> {
  const method = reader.string();
  switch (method) {
    case 'lockFile': {
      const name = reader.string();
      reader.done();
      await handleLock(writer, name);
      listen(reader, writer);
      break;
    }
    case 'unlockFile': {
      const name = reader.string();
      reader.done();
      await handleUnlock(writer, name);
      listen(reader, writer);
      break;
    }
    default:
      throw new Error(`Unknown method: ${method}`);
  }
}

const sessions = new Map<string, { close(): void }>();

async function openSession(name: string): Promise<void> {
  if (!sessions.has(name)) {
    const session = await connect(name);
    sessions.set(name, session); // expect: async-atomicity
  }
}

async function closeSession(name: string): Promise<void> {
  sessions.get(name)?.close();
  sessions.delete(name);
}

async function serve(reader: Reader): Promise<void> {
  for (;;) {
    const method = reader.string();
    if (method === 'open') void openSession(reader.string());
    else await closeSession(reader.string());
  }
}

self.onmessage = (message: MessageEvent<{ type: string; buffers: SharedArrayBuffer[] }>) => {
  if (message.data.type === 'init') {
    const [args, results] = message.data.buffers;
    listen(new Reader(args!), new Writer(results!));
    void serve(new Reader(args!));
  }
};
