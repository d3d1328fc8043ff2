/**
 * Lock names (model/lock-names.ts) on test-fixtures/lsp/worker-names, where every lock is reached through some
 * caller's variable: each is named by its `name` option, else by its declaration (a class field with its class, a
 * private field, a field assigned in the constructor, a key of an object literal, an element of an array, a module
 * variable), and its graph node leads to where it is created.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixtureFolder } from '../helpers/fixtures.js';

test('every lock is named by its name option or its declaration, never by the variable a caller reached it through', () => {
  const { graph } = analyzeFixtureFolder('lsp/worker-names');
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  assert.deepEqual([...nodes.keys()].sort(), [
    'Audit.tallyLock', 'RatesController.#refreshMutex', 'RatesController.journalLock', 'accounts', 'ledger', 'locks.audit',
    // rebalance(i) is only called as rebalance(0): the index its one call site passes names the element.
    'locks.price-feed', 'ratesCache', 'registryLock', 'shards[0]',
  ]);
  for (const name of nodes.keys()) assert.doesNotMatch(name, /controller\.|s37\.|workerData|accountsLock/, name);
  // A field is its class's, whatever its name; and the node leads to where the lock is created.
  assert.equal(nodes.get('ratesCache')!.owner, 'RatesController');
  const created = (name: string) => `${nodes.get(name)!.declaration!.uri.split('/').pop()}:${nodes.get(name)!.declaration!.range.start.line + 1}`;
  assert.equal(created('ratesCache'), 'controllers.ts:12', 'a field assigned in the constructor: the assignment');
  assert.equal(created('RatesController.#refreshMutex'), 'controllers.ts:7');
  assert.equal(created('accounts'), 'main.ts:8', 'a lock a worker rebuilt: where main created it');
});
