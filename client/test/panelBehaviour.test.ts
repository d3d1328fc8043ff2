// Unit tests of the lock-graph panel's decisions that need no editor: where a deadlock puts the panel, and which
// drawings are worth a line in the output channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadlockColumn } from '../src/graphPanel/placement.js';
import { describeRender, RenderLog } from '../src/graphPanel/renderLog.js';

test('a deadlock puts the panel in a group the stopped editor does not use, reusing groups before adding one', () => {
  // One group: a second one beside it.
  assert.equal(deadlockColumn({ columns: [1], stopped: 1 }), 'beside');
  // Two groups, the debugger in the first: the second. In the second (the user edits on the right): the first, not a third.
  assert.equal(deadlockColumn({ columns: [1, 2], stopped: 1 }), 2);
  assert.equal(deadlockColumn({ columns: [1, 2], stopped: 2 }), 1);
  // Three groups, the debugger in the middle: the one to its right.
  assert.equal(deadlockColumn({ columns: [1, 2, 3], stopped: 2 }), 3);
  // An open panel elsewhere stays where it is; one in the stopped editor's group moves out of it.
  assert.equal(deadlockColumn({ columns: [1, 2, 3], stopped: 1, panel: 3 }), 3);
  assert.equal(deadlockColumn({ columns: [1, 2], stopped: 2, panel: 2 }), 1);
  assert.equal(deadlockColumn({ columns: [1], stopped: 1, panel: 1 }), 'beside');
});

test('a drawing is logged once, and again only when what is drawn changes', () => {
  const log = new RenderLog();
  const live = { mode: 'live' as const, nodes: 4, edges: 4, cycles: 1, cycleNodes: ['main', 'accounts'] };
  const lines = [live, live, live, { ...live, nodes: 5 }, { ...live, nodes: 5 }, live].map((s) => log.line(s));
  assert.deepEqual(lines.filter((l) => l !== undefined), [
    'Lock graph drawn: live graph, 4 nodes, 4 edges, 1 cycles (main, accounts)',
    'Lock graph drawn: live graph, 5 nodes, 4 edges, 1 cycles (main, accounts)',
    'Lock graph drawn: live graph, 4 nodes, 4 edges, 1 cycles (main, accounts)',
  ]);
  assert.equal(describeRender({ mode: 'static', nodes: 2, edges: 1, cycles: 0, cycleNodes: [] }), 'static graph, 2 nodes, 1 edges, 0 cycles');
});
