/**
 * `npm run bench -w server`: runs each benchmark module of this folder in turn and prints its figures.
 * A module exports `run()` (or a default function, or one function named `run...`, e.g. `runLspBenchmark`);
 * one that is missing or fails is reported and skipped,
 * so benchmarks can be added by other parts (server/bench/lsp.ts) without editing this file.
 */
const MODULES = ['./analysis.js', './tsgo.js', './lsp.js', './fix-gate.js', './dap.js', './potential-deadlock.js', './graph-view.js'];

type Entry = () => Promise<unknown> | unknown;

interface BenchModule {
  name?: string;
  run?: Entry;
  default?: Entry;
  [exported: string]: unknown;
}

function entryOf(module: BenchModule): Entry | undefined {
  if (typeof module.run === 'function') return module.run;
  if (typeof module.default === 'function') return module.default;
  const runners = Object.entries(module).filter(([key, value]) => /^run[A-Z]/.test(key) && typeof value === 'function');
  return runners.length === 1 ? (runners[0]![1] as Entry) : undefined;
}

let failed = false;
for (const specifier of MODULES) {
  let module: BenchModule;
  try {
    module = (await import(specifier)) as BenchModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(specifier.slice(2))) {
      console.log(`${specifier.slice(2, -3)}: not present, skipped`);
      continue;
    }
    throw error;
  }
  const entry = entryOf(module);
  if (entry === undefined) {
    console.log(`${specifier.slice(2, -3)}: exports no run(), skipped`);
    continue;
  }
  try {
    await entry();
  } catch (error) {
    failed = true;
    console.error(`${module.name ?? specifier}: failed: ${(error as Error).stack ?? String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
