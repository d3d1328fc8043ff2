/**
 * The "Show in Lock Graph" code action over the real protocol: offered on every lock-order diagnostic (and on no
 * other) when the editor names its lock-graph command, never otherwise; its command carries the diagnostic's
 * place, and that place leads the panel's `cycleAt` to the very cycle the diagnostic names, in the graph
 * `deadbolt/lockGraph` answers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { cycleAt } from '../../src/graph-view/focus.js';
import type { SourceLocation } from '../../src/protocol/index.js';
import { LSP_FIXTURES, LspClient } from './lspClient.js';

const WORKSPACE = join(LSP_FIXTURES, 'workspace');
const SRC = join(WORKSPACE, 'src');

let client: LspClient;
before(async () => {
  client = await LspClient.start({ folders: [WORKSPACE], initializationOptions: { lockGraphCommand: 'deadbolt.showLockGraph' } });
});
after(async () => {
  await client.stop();
});

test('each lock-order diagnostic offers Show in Lock Graph, which finds the cycle it names', async () => {
  const graph0 = await client.lockGraph();
  assert.ok(graph0.cycles.length > 0, 'the workspace has a cycle');
  // The cycle is reported once, at its closing acquisition: transfer-b.ts takes the locks against the declared order.
  for (const file of ['transfer-b.ts']) {
    const uri = await client.open(join(SRC, file));
    const cycles = (await client.diagnostics(uri, (d) => d.some((x) => x.code === 'lock-order'))).filter((d) => d.code === 'lock-order');
    const graph = await client.lockGraph();
    for (const diagnostic of cycles) {
      const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
      const show = actions.find((a) => a.title === 'Show in Lock Graph');
      assert.ok(show, `no Show in Lock Graph among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(show.command?.command, 'deadbolt.showLockGraph');
      assert.deepEqual(show.diagnostics?.map((d: Diagnostic) => d.code), ['lock-order']);
      const place = show.command!.arguments![0] as SourceLocation;
      assert.equal(place.uri, uri);
      assert.deepEqual(place.range, diagnostic.range);
      const cycle = cycleAt(graph, place);
      assert.ok(cycle, `no cycle passes through ${file}:${place.range.start.line + 1}`);
      const names = cycle.map((id) => graph.nodes.find((n) => n.id === id)!.name);
      for (const name of names) assert.ok((diagnostic.message as string).includes(name), `${name} is named by: ${diagnostic.message}`);
    }
    await client.close(uri);
  }
});

test('other findings do not offer it', async () => {
  const uri = await client.open(join(SRC, 'counter.ts'));
  const [first] = await client.diagnostics(uri, (d) => d.length === 2);
  const actions = await client.codeActions(uri, first!.range, [first!]);
  assert.ok(actions.length > 0);
  assert.ok(actions.every((a) => a.title !== 'Show in Lock Graph'));
  await client.close(uri);
});

test('an editor that names no lock-graph command is not offered the action', async () => {
  const plain = await LspClient.start({ folders: [WORKSPACE] });
  try {
    const uri = await plain.open(join(SRC, 'transfer-b.ts'));
    const [cycle] = (await plain.diagnostics(uri, (d) => d.some((x) => x.code === 'lock-order'))).filter((d) => d.code === 'lock-order');
    const actions = await plain.codeActions(uri, cycle!.range, [cycle!]);
    assert.ok(actions.length > 0, 'the other actions are still there');
    assert.ok(actions.every((a) => a.title !== 'Show in Lock Graph'), JSON.stringify(actions.map((a) => a.title)));
  } finally {
    await plain.stop();
  }
});
