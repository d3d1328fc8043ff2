/**
 * Parses `deadbolt` command lines with node:util parseArgs into a typed command, or a UsageError whose message
 * the CLI prints above the usage text (exit 2). Accepted values are checked here so later code can trust them.
 */
import { parseArgs } from 'node:util';

export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export const GRAPH_FORMATS = ['dot', 'json', 'mermaid'] as const;

export type CheckFormat = (typeof CHECK_FORMATS)[number];
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

interface Common {
  paths: string[];
  project: string | undefined;
  config: string | undefined;
  /** `--verbose`: list every skipped file and every function whose analysis hit its budget. */
  verbose: boolean;
  /** `--cache`: reuse results of earlier runs kept in `cacheLocation`. */
  cache: boolean;
  /** `--cache-location`: the cache file (or a folder to hold `.deadboltcache`); implies nothing without --cache. */
  cacheLocation: string | undefined;
}

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | (Common & { name: 'check'; format: CheckFormat; fix: boolean; unsafeFixes: boolean; diff: boolean; quiet: boolean })
  | (Common & { name: 'graph'; format: GraphFormat })
  /** `report --html <file>`: one self-contained page with the findings and the lock graph; `-` writes to stdout. */
  | (Common & { name: 'report'; html: string; quiet: boolean });

/** A command line the CLI cannot run; printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseCommandLine(argv: readonly string[]): Command {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') return { name: 'help' };
  if (subcommand === '--version' || subcommand === '-v') return { name: 'version' };
  if (subcommand !== 'check' && subcommand !== 'graph' && subcommand !== 'report') {
    throw new UsageError(subcommand.startsWith('-') ? `unknown option '${subcommand}' before a command` : `unknown command '${subcommand}'`);
  }

  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        project: { type: 'string', short: 'p' },
        format: { type: 'string', short: 'f' },
        config: { type: 'string', short: 'c' },
        fix: { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        diff: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        html: { type: 'string' },
        verbose: { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    // parseArgs messages are clear but long; keep their first sentence.
    throw new UsageError((error as Error).message.split('. ')[0]!.replace(/\.$/, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  if (values.version) return { name: 'version' };
  const common: Common = {
    paths: positionals,
    project: values.project,
    config: values.config,
    verbose: values.verbose ?? false,
    cache: values.cache ?? false,
    cacheLocation: values['cache-location'],
  };
  if (values['cache-location'] !== undefined && !values.cache) throw new UsageError("'--cache-location' goes with --cache");
  if (values.cache && subcommand !== 'check') throw new UsageError("'--cache' only applies to check");
  if (values.html !== undefined && subcommand !== 'report') throw new UsageError("'--html' only applies to report");

  if (subcommand === 'check') {
    const format = values.format ?? 'text';
    if (!(CHECK_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`unknown format '${format}' for check (expected ${CHECK_FORMATS.join(', ')})`);
    }
    const unsafeFixes = values['unsafe-fixes'] ?? false;
    const diff = values.diff ?? false;
    if (unsafeFixes && !values.fix && !diff) throw new UsageError("'--unsafe-fixes' goes with --fix or --diff");
    if (diff && values.fix) throw new UsageError("'--diff' shows the fixes without writing them: use it instead of --fix");
    if (diff && values.format !== undefined) throw new UsageError("'--diff' prints a patch, not a report: drop --format");
    return { ...common, name: 'check', format: format as CheckFormat, fix: values.fix ?? false, unsafeFixes, diff, quiet: values.quiet ?? false };
  }
  for (const option of ['fix', 'unsafe-fixes', 'diff'] as const) if (values[option]) throw new UsageError(`'--${option}' only applies to check`);
  if (subcommand === 'report') {
    if (values.format !== undefined) throw new UsageError("report takes '--html <file>', not '--format'");
    if (values.html === undefined || values.html === '') throw new UsageError("report needs '--html <file>' (or '--html -' for stdout)");
    return { ...common, name: 'report', html: values.html, quiet: values.quiet ?? false };
  }
  if (values.quiet) throw new UsageError("'--quiet' only applies to check and report");
  const format = values.format ?? 'dot';
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' for graph (expected ${GRAPH_FORMATS.join(', ')})`);
  }
  return { ...common, name: 'graph', format: format as GraphFormat };
}

export const USAGE = `Usage:
  deadbolt check [paths...] [--project tsconfig.json] [--format text|json|sarif] [--fix | --diff] [--unsafe-fixes]
                 [--quiet] [--config file] [--cache [--cache-location path]] [--verbose]
  deadbolt graph [paths...] [--project tsconfig.json] [--format dot|json|mermaid] [--config file] [--verbose]
  deadbolt report [paths...] --html out.html [--project tsconfig.json] [--quiet] [--config file] [--verbose]
  deadbolt --help | --version

Checks TypeScript and JavaScript that shares memory between threads for deadlocks, races and blocking.
With no paths, deadbolt uses ./tsconfig.json (else ./jsconfig.json) when there is one, else every source file under
'.'; in a workspace whose root config covers less than half the folder, each package's own config. Vendored files
(.yarn/, .pnp.*), build output (dist/, outDir), minified files and bundles (over 1 MiB, or a bundler's output) are
skipped; "include" in deadbolt.config.json brings them back.

Options:
  -p, --project <file>  analyse the program of this tsconfig.json (paths then narrow what is reported)
  -f, --format <name>   check: text (default), json or sarif; graph: dot (default), json or mermaid
      --fix             apply the safe fixes, then report what remains
      --unsafe-fixes    with --fix or --diff: also the unsafe fixes (they may change what the code does: review them)
      --diff            print the fixes --fix would apply as a unified diff, and write nothing (exit 1 when there are some)
      --html <file>     report: write one self-contained HTML page (findings and lock graph); '-' for stdout
  -q, --quiet           report errors only
  -c, --config <file>   use this deadbolt.config.json instead of the one nearest to what is analysed
      --cache           check: reuse the results of earlier runs for what has not changed (kept in .deadboltcache)
      --cache-location <path>  with --cache: the cache file, or a folder to keep .deadboltcache in
      --verbose         also list each skipped file and each function whose analysis was cut short by its budget
  -h, --help            show this help
      --version         print the version

Exit status: 0 no error-severity finding, 1 some, 2 bad usage or configuration.
Each rule is documented in docs/rules/<rule-id>.md.`;
