// Unit tests of the status bar wording: one state per server state, finding counts, and what a click does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView } from '../src/status/statusModel.js';

const none = { errors: 0, warnings: 0, others: 0 };

test('starting, stopped and disabled servers say so, and a stopped one offers a restart', () => {
  assert.match(statusView({ server: 'starting', ...none }).text, /sync~spin/);
  const stopped = statusView({ server: 'stopped', ...none });
  assert.equal(stopped.command, 'deadbolt.restartServer');
  assert.equal(stopped.alert, true);
  assert.match(statusView({ server: 'disabled', ...none }).tooltip, /deadbolt\.enable/);
});

test('a running server with no findings shows the lock icon and opens the graph', () => {
  const view = statusView({ server: 'running', ...none });
  assert.equal(view.text, '$(lock) Deadbolt');
  assert.equal(view.command, 'deadbolt.showLockGraph');
});

test('findings are counted, with the icon of the worst severity', () => {
  const errors = statusView({ server: 'running', errors: 1, warnings: 2, others: 0 });
  assert.equal(errors.text, '$(error) Deadbolt 3');
  assert.match(errors.tooltip, /1 error, 2 warnings\./);
  const warnings = statusView({ server: 'running', errors: 0, warnings: 1, others: 3 });
  assert.equal(warnings.text, '$(warning) Deadbolt 4');
  assert.match(warnings.tooltip, /1 warning, 3 notes/);
});

test('an announced analysis run shows a spinner until the server says it is idle', () => {
  const view = statusView({ server: 'running', errors: 2, warnings: 0, others: 0, analyzing: true });
  assert.match(view.text, /sync~spin/);
  assert.match(view.tooltip, /analysing/);
  assert.equal(statusView({ server: 'running', errors: 2, warnings: 0, others: 0, analyzing: false }).text, '$(error) Deadbolt 2');
});

test('before its first analysis has finished, a running server claims no findings', () => {
  const waiting = statusView({ server: 'running', ...none, analysed: false });
  assert.doesNotMatch(waiting.tooltip, /no lock findings/);
  assert.match(waiting.tooltip, /nothing analysed yet/);
  assert.match(statusView({ server: 'running', ...none, analysed: false, analyzing: true }).text, /sync~spin/);
  assert.match(statusView({ server: 'running', ...none, analysed: true }).tooltip, /no lock findings/);
});
