/**
 * Precision and recall of the analyzer on the issue-11 fixture families: each family's files are analysed with their
 * rule folder (as the fixture tests do), and each `// expect:` line counts as a true positive when the rule reports
 * it and a false negative when it does not; any other reported line of the family's rule is a false positive.
 * Run: `node server/dist/bench/fixture-precision.js [path/to/deadbolt.js]` (another build's CLI compares before/after).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FAMILIES: { family: string; rule: string; files: string[] }[] = [
  { family: 'callbacks by reference', rule: 'double-lock', files: ['double-lock/callback-references.ts'] },
  { family: 'locks in collections', rule: 'lock-order', files: ['lock-order/collections.ts'] },
  { family: 'locks taken in loops (order)', rule: 'lock-order', files: ['lock-order/loops.ts'] },
  { family: 'locks taken in loops (release)', rule: 'lock-leak', files: ['lock-leak/loops.ts'] },
  { family: 'exceptions from calls', rule: 'lock-leak', files: ['lock-leak/throwing-calls.ts'] },
  { family: 'generators (blocking)', rule: 'blocking-in-async', files: ['blocking-in-async/generators.ts'] },
  { family: 'generators (suspension)', rule: 'await-holding-lock', files: ['await-holding-lock/generators.ts'] },
];

/** One entry of `deadbolt check --format json`; `file` is relative to the working directory. */
interface JsonFinding {
  rule: string;
  file: string;
  line: number;
}

const cli = process.argv[2] ?? path.join(REPO, 'server', 'bin', 'deadbolt.js');
const reports = new Map<string, JsonFinding[]>();

function findings(folder: string): JsonFinding[] {
  let found = reports.get(folder);
  if (found) return found;
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '.'], { cwd: path.join(REPO, 'test-fixtures', folder), encoding: 'utf8', maxBuffer: 64 << 20 });
  found = (JSON.parse(run.stdout) as { diagnostics: JsonFinding[] }).diagnostics;
  reports.set(folder, found);
  return found;
}

let [tpAll, fpAll, fnAll] = [0, 0, 0];
console.log('family | rule | expected | TP | FP | FN | precision | recall');
for (const { family, rule, files } of FAMILIES) {
  let [tp, fp, fn, expected] = [0, 0, 0, 0];
  for (const file of files) {
    const absolute = path.join(REPO, 'test-fixtures', file);
    const want = new Set<number>();
    readFileSync(absolute, 'utf8').split('\n').forEach((line, i) => {
      const match = /\/\/\s*expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$/.exec(line.trimEnd());
      if (match?.[1]!.split(',').map((r) => r.trim()).includes(rule)) want.add(i + 1);
    });
    const folder = file.split('/')[0]!;
    const inFile = (f: JsonFinding): boolean => path.resolve(REPO, 'test-fixtures', folder, f.file) === absolute;
    const got = new Set(findings(folder).filter((f) => f.rule === rule && inFile(f)).map((f) => f.line));
    expected += want.size;
    for (const line of got) (want.has(line) ? tp++ : fp++);
    for (const line of want) if (!got.has(line)) fn++;
  }
  [tpAll, fpAll, fnAll] = [tpAll + tp, fpAll + fp, fnAll + fn];
  console.log(`${family} | ${rule} | ${expected} | ${tp} | ${fp} | ${fn} | ${ratio(tp, tp + fp)} | ${ratio(tp, tp + fn)}`);
}
console.log(`all | | ${tpAll + fnAll} | ${tpAll} | ${fpAll} | ${fnAll} | ${ratio(tpAll, tpAll + fpAll)} | ${ratio(tpAll, tpAll + fnAll)}`);

function ratio(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : (part / whole).toFixed(2);
}
