/** Tests for suppression comments and the fix that inserts them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterSuppressed, isSuppressed, parseSuppressions } from '../../src/engine/suppressions.js';
import { suppressionFix } from '../../src/engine/fixes/suppress.js';
import type { Finding, Fix, RuleId } from '../../src/engine/types.js';

function findingAt(text: string, line: number, rule: RuleId = 'lock-order'): Finding {
  const lines = text.split('\n');
  const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + /^\s*/.exec(lines[line - 1]!)![0].length;
  return {
    rule,
    severity: 'error',
    message: 'm',
    related: [],
    fixes: [],
    span: { file: '/x.ts', line, column: 1, endLine: line, endColumn: 2, start, end: start + 1 },
  };
}

function apply(text: string, fix: Fix): string {
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

test('parses rule lists, reasons and the all-rules form', () => {
  const text = [
    'a();',
    '// deadbolt-disable-next-line lock-order, double-lock -- ordered by construction',
    'b();',
    '  /* deadbolt-disable-next-line */',
    'c();',
    '// deadbolt-disable-next-line blocking-in-async',
    'd();',
  ].join('\n');
  const map = parseSuppressions(text);
  assert.deepEqual([...map.keys()], [3, 5, 7]);
  assert.deepEqual([...map.get(3)!], ['lock-order', 'double-lock']);
  assert.deepEqual([...map.get(5)!], ['*']);
  assert.deepEqual([...map.get(7)!], ['blocking-in-async']);
  assert.ok(isSuppressed(map, 3, 'double-lock'));
  assert.ok(!isSuppressed(map, 3, 'lock-leak'));
  assert.ok(isSuppressed(map, 5, 'lock-leak'));
  assert.ok(!isSuppressed(map, 4, 'lock-leak'), 'the directive line itself is not suppressed');
});

test('a directive only covers the next line, and text that merely mentions it does not count', () => {
  const text = ['// deadbolt-disable-next-line lock-order', 'a();', 'b();', 'const s = "deadbolt-disable-next-line";', 'c();'].join('\n');
  const map = parseSuppressions(text);
  assert.deepEqual([...map.keys()], [2]);
});

test('handles CRLF line endings', () => {
  const map = parseSuppressions('x();\r\n// deadbolt-disable-next-line lock-leak -- why\r\ny();\r\n');
  assert.deepEqual([...map.get(3)!], ['lock-leak']);
});

test('filterSuppressed drops only the suppressed findings', () => {
  const text = ['// deadbolt-disable-next-line lock-order -- fine', 'a();', 'b();'].join('\n');
  const kept = filterSuppressed([findingAt(text, 2), findingAt(text, 2, 'lock-leak'), findingAt(text, 3)], () => text);
  assert.deepEqual(kept.map((f) => [f.span.line, f.rule]), [[2, 'lock-leak'], [3, 'lock-order']]);
});

test('suppressionFix inserts an indented directive with a reason placeholder', () => {
  const text = 'function f() {\n    m.lock();\n}\n';
  const finding = findingAt(text, 2, 'double-lock');
  const fix = suppressionFix(finding, text);
  assert.equal(fix.preferred, false);
  const fixed = apply(text, fix);
  assert.equal(fixed, 'function f() {\n    // deadbolt-disable-next-line double-lock -- reason\n    m.lock();\n}\n');
  assert.ok(isSuppressed(parseSuppressions(fixed), 3, 'double-lock'));
});

test('suppressionFix keeps CRLF and tabs', () => {
  const text = 'if (x) {\r\n\tm.lock();\r\n}\r\n';
  const fixed = apply(text, suppressionFix(findingAt(text, 2), text));
  assert.equal(fixed, 'if (x) {\r\n\t// deadbolt-disable-next-line lock-order -- reason\r\n\tm.lock();\r\n}\r\n');
});

test('suppressionFix extends an existing directive instead of stacking another', () => {
  const text = '  // deadbolt-disable-next-line lock-order -- known\n  m.lock();\n';
  const fixed = apply(text, suppressionFix(findingAt(text, 2, 'lock-leak'), text));
  assert.equal(fixed, '  // deadbolt-disable-next-line lock-order, lock-leak -- known\n  m.lock();\n');
  const map = parseSuppressions(fixed);
  assert.ok(isSuppressed(map, 2, 'lock-leak') && isSuppressed(map, 2, 'lock-order'));
});

test('suppressionFix on the first line of a file', () => {
  const text = 'm.lock();\n';
  assert.equal(apply(text, suppressionFix(findingAt(text, 1), text)), '// deadbolt-disable-next-line lock-order -- reason\nm.lock();\n');
});

test('a directive naming blocking-in-async still silences the sync I/O split out of it, and not the other way round', () => {
  const map = parseSuppressions(
    "// deadbolt-disable-next-line blocking-in-async -- start-up only\nconst text = readFileSync(p);\n// deadbolt-disable-next-line sync-io-in-async\nAtomics.wait(a, 0, 0);\n",
  );
  assert.ok(isSuppressed(map, 2, 'sync-io-in-async'));
  assert.ok(isSuppressed(map, 2, 'blocking-in-async'));
  assert.ok(!isSuppressed(map, 4, 'blocking-in-async'));
});
