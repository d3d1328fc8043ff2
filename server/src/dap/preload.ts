/**
 * Which tracing preload a program runs with, for the adapter and for the VS Code extension alike: the preload must be
 * the one of the very @deadbolt/runtime the program imports, or the program's locks would report to nobody.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** No preload can be found; the message is shown to the user as is. */
export class PreloadError extends Error {}

/**
 * The tracing preload to use: the program's own copy of @deadbolt/runtime when it has one (the tracer must be installed
 * into the very module instance the program's locks import), else a copy shipped beside the adapter (the extension's
 * bundle puts it in ./trace/), else the adapter's own dependency.
 */
export function preloadFor(program: string): string {
  const viaPackage = (from: string): string | undefined => {
    try {
      return resolve(dirname(createRequire(from).resolve('@deadbolt/runtime/trace')), 'preload.js');
    } catch {
      return undefined;
    }
  };
  const here = fileURLToPath(import.meta.url);
  const beside = resolve(dirname(here), 'trace', 'preload.js');
  const found = viaPackage(program) ?? (existsSync(beside) ? beside : undefined) ?? viaPackage(here);
  if (found === undefined) throw new PreloadError('Cannot find @deadbolt/runtime to trace the program with.');
  return found;
}

