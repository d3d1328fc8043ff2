// Writes dist/types-ts5.2/, the declarations for TypeScript 5.2 to 5.6: the same .d.ts files as dist/src, with the
// type arguments of typed arrays removed (`Int32Array<SharedArrayBuffer>` becomes `Int32Array`). Typed arrays became
// generic in TypeScript 5.7, and an older compiler rejects the argument (TS2315) unless the user sets skipLibCheck.
// package.json's `types@<5.7` export conditions send those compilers here. Run after `tsc -b` (npm run bundle).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runtime = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(runtime, 'dist', 'src');
const to = join(runtime, 'dist', 'types-ts5.2');
const TYPED_ARRAY = /\b((?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array)<[^<>]*>/g;

rmSync(to, { recursive: true, force: true });
let files = 0;
for (const file of readdirSync(from, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(join(from, file), 'utf8')
    .replace(TYPED_ARRAY, '$1')
    // The declaration maps stay with dist/src; a link to one from here would point nowhere.
    .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  mkdirSync(dirname(join(to, file)), { recursive: true });
  writeFileSync(join(to, file), text);
  files++;
}
console.log(`runtime: ${files} declaration files for TypeScript 5.2-5.6 in ${to}`);
