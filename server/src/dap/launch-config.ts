/**
 * The `deadbolt` launch configuration: its attributes, their validation (a bad one fails the launch with a message
 * that says what to fix), and turning it into the node command line that runs the program under tracing.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The program: a .js, .mjs, .cjs, .ts, .mts or .cts file, absolute or relative to `cwd`. */
  program: string;
  args?: string[];
  cwd?: string;
  /** Extra environment; a null value removes the variable. */
  env?: Record<string, string | null>;
  /** Extra node options placed before the program (e.g. --max-old-space-size=4096). */
  runtimeArgs?: string[];
  /** Stop with reason 'deadlock' when the wait-for graph closes a cycle (default true). */
  stopOnDeadlock?: boolean;
  /** Stop when one wait lasts longer than this many milliseconds, naming the lock and its holder. */
  stopOnLongWait?: number;
  /** Stop with reason 'potential deadlock' when the observed lock orders close a cycle (default false). */
  stopOnPotentialDeadlock?: boolean;
}

/** A launch that cannot start; its message is shown to the user as is. */
export class LaunchError extends Error {}

export interface ValidLaunch {
  program: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  runtimeArgs: string[];
  stopOnDeadlock: boolean;
  stopOnLongWait: number | undefined;
  stopOnPotentialDeadlock: boolean;
  typescript: boolean;
}

const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

export function validateLaunch(given: Partial<LaunchArguments> | undefined, baseEnv: NodeJS.ProcessEnv = process.env): ValidLaunch {
  const raw = given ?? {};
  const cwd = resolve(typeof raw.cwd === 'string' && raw.cwd !== '' ? raw.cwd : process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new LaunchError(`cwd '${cwd}' is not a directory.`);
  if (typeof raw.program !== 'string' || raw.program === '') {
    throw new LaunchError("The launch configuration needs 'program': the .js, .mjs or .ts file to run.");
  }
  const program = isAbsolute(raw.program) ? raw.program : resolve(cwd, raw.program);
  if (!existsSync(program)) throw new LaunchError(`Program '${program}' does not exist.`);
  if (!statSync(program).isFile()) throw new LaunchError(`Program '${program}' is not a file.`);
  const ext = extname(program).toLowerCase();
  if (!JS_EXTENSIONS.has(ext) && !TS_EXTENSIONS.has(ext)) {
    throw new LaunchError(`Program '${program}' must be a .js, .mjs, .cjs or .ts file (got '${ext || 'no extension'}').`);
  }
  const args = stringArray(raw.args, 'args');
  const runtimeArgs = stringArray(raw.runtimeArgs, 'runtimeArgs');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(raw.env ?? {})) {
    if (v === null) delete env[k];
    else env[k] = String(v);
  }
  for (const flag of ['stopOnDeadlock', 'stopOnPotentialDeadlock'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') throw new LaunchError(`'${flag}' must be true or false (got ${JSON.stringify(raw[flag])}).`);
  }
  const longWait = raw.stopOnLongWait;
  if (longWait !== undefined && (typeof longWait !== 'number' || !(longWait > 0))) {
    throw new LaunchError(`'stopOnLongWait' must be a positive number of milliseconds (got ${JSON.stringify(longWait)}).`);
  }
  return {
    program,
    cwd,
    args,
    env,
    runtimeArgs,
    stopOnDeadlock: raw.stopOnDeadlock !== false,
    stopOnLongWait: longWait,
    stopOnPotentialDeadlock: raw.stopOnPotentialDeadlock === true,
    typescript: TS_EXTENSIONS.has(ext),
  };
}

function stringArray(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new LaunchError(`'${name}' must be an array of strings.`);
  return value as string[];
}

/** The node arguments that run `entry` traced, with source maps on so frames name the sources the user wrote. */
export function nodeArguments(launch: ValidLaunch, entry: string, preload: string): string[] {
  return ['--enable-source-maps', ...launch.runtimeArgs, '--import', preload, entry, ...launch.args];
}
