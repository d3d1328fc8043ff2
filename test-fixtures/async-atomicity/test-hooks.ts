// Test-runner hooks run one at a time with the tests around them: Vitest, Jest, Mocha and node:test await each
// `beforeEach`/`afterEach`/`afterAll` (node:test's `after`) before they start anything else, so a hook that awaits while it empties what the
// tests fill races with no test. Shapes from prisma/prisma test/integration/test/cli-journeys/mongo-migration.e2e.test.ts
// (an `afterEach` that removes each created directory, then `created.clear()`) and
// test/integration/test/ports/_harness/postgres.ts (an `afterAll` that closes every database of a module map, which a
// helper fills; each test awaits the helper, or returns its promise to the runner). Prisma writes them for Vitest;
// here they are written for node:test, whose hooks run the same way, so the fixture type-checks with no runner installed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { after, afterEach, describe, it } from 'node:test';

interface DevDatabase {
  url: string;
  close(): Promise<void>;
}

declare function setupJourney(): { testDir: string };
declare function createDevDatabase(): Promise<DevDatabase>;
declare const server: { on(event: 'connection', listener: (id: string) => void): void };

describe('journey: migration authoring', () => {
  const created = new Set<string>();

  afterEach(async () => {
    for (const dir of created) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
    created.clear();
  });

  it('scaffolds a migration', async () => {
    const ctx = setupJourney();
    created.add(ctx.testDir);
    assert.ok(existsSync(ctx.testDir));
  });
});

const databases = new Map<string, DevDatabase>();

after(async () => {
  for (const database of databases.values()) {
    await database.close();
  }
  databases.clear();
});

export async function withPort(hash: string, fn: (url: string) => Promise<void>): Promise<void> {
  let database = databases.get(hash);
  if (database === undefined) {
    database = await createDevDatabase();
    databases.set(hash, database);
  }
  await fn(database.url);
}

function withSeed(fn: (url: string) => Promise<void>): Promise<void> {
  return withPort('seed', async (url) => {
    await fn(url);
  });
}

describe('ports: count', () => {
  it('counts', () => withSeed(async (url) => assert.ok(url)));
  it('upserts', async () => {
    await withPort('upsert', async (url) => assert.ok(url));
  });
});

// A writer the runner does not wait for still races with a hook: the server's handler runs whenever a client connects.
const connections: string[] = [];
server.on('connection', (id) => connections.push(id));

afterEach(async () => {
  await Promise.all(connections.map((id) => rm(id, { force: true })));
  connections.length = 0; // expect: async-atomicity
});
