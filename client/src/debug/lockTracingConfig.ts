/**
 * Lock tracing in a JavaScript debugger launch (VS Code's js-debug, `"type": "node"` or `"pwa-node"`): which
 * configurations ask for it (`"deadboltLockTracing": true`), what such a launch cannot be, and the node options and
 * environment that put the program under the trace preload with its trace channel. Pure, so it is unit-tested.
 */
import { basename, win32 } from 'node:path';

/** The launch attribute that turns lock tracing on in a `node` configuration. */
export const LOCK_TRACING_ATTRIBUTE = 'deadboltLockTracing';
/** Marks a resolved configuration with the trace it belongs to, so the session that starts from it can be matched. */
export const TRACE_TOKEN_ATTRIBUTE = '__deadboltTraceToken';
/** The debug types of js-debug's Node.js debugger (`node` resolves to `pwa-node`). */
export const NODE_DEBUG_TYPES = ['node', 'pwa-node'] as const;

export interface NodeLaunchConfig {
  type: string;
  request: string;
  name: string;
  runtimeExecutable?: string | null;
  runtimeArgs?: string[];
  env?: Record<string, string | null>;
  stopOnDeadlock?: unknown;
  stopOnPotentialDeadlock?: unknown;
  [key: string]: unknown;
}

/** What the traced session does besides tracing. */
export interface TracingOptions {
  stopOnDeadlock: boolean;
  stopOnPotentialDeadlock: boolean;
}

export function wantsLockTracing(config: { [key: string]: unknown }): boolean {
  return config[LOCK_TRACING_ATTRIBUTE] === true;
}

/** A runtime that is node itself (by name: node, node.exe, node22, /usr/local/bin/node): it honours `--import`. */
function isNode(executable: string): boolean {
  return /^node(\d+(\.\d+)*)?(\.exe)?$/i.test(win32.basename(executable));
}

/** The tracing options of a configuration that asks for lock tracing, or why it cannot be traced. */
export function tracingOptions(config: NodeLaunchConfig): TracingOptions | { error: string } {
  if (config.request !== 'launch') {
    return { error: `Deadbolt: lock tracing needs a "launch" configuration: the trace must be loaded when the program starts, so "${config.request}" cannot be traced.` };
  }
  const runtime = config.runtimeExecutable;
  if (typeof runtime === 'string' && runtime !== '' && !isNode(runtime)) {
    return {
      error:
        `Deadbolt: lock tracing runs the program with node itself, but "runtimeExecutable" is "${runtime}". ` +
        'For a TypeScript loader such as tsx, keep node and add the loader to "runtimeArgs" (for example ["--import", "tsx"]).',
    };
  }
  for (const flag of ['stopOnDeadlock', 'stopOnPotentialDeadlock'] as const) {
    if (config[flag] !== undefined && typeof config[flag] !== 'boolean') return { error: `Deadbolt: "${flag}" must be true or false.` };
  }
  return { stopOnDeadlock: config.stopOnDeadlock !== false, stopOnPotentialDeadlock: config.stopOnPotentialDeadlock === true };
}

/**
 * The configuration with the preload and the trace channel added: `preload` is the preload's file URL, `env` the
 * variables that name the trace channel to it, `token` what ties the session that starts to its trace.
 */
export function withLockTracing(config: NodeLaunchConfig, trace: { preload: string; env: Record<string, string>; token: string }): NodeLaunchConfig {
  const runtimeArgs = [...(config.runtimeArgs ?? [])];
  // Stack frames in the trace then name the TypeScript lines, as the standalone adapter's do.
  if (!runtimeArgs.includes('--enable-source-maps')) runtimeArgs.push('--enable-source-maps');
  runtimeArgs.push('--import', trace.preload);
  return { ...config, runtimeArgs, env: { ...config.env, ...trace.env }, [TRACE_TOKEN_ATTRIBUTE]: trace.token };
}

/** The configuration "Deadbolt: Debug with Lock Tracing" starts for a file: js-debug's launch with tracing on. */
export function lockTracingLaunch(program: string, cwd: string | undefined): NodeLaunchConfig {
  return {
    type: 'node',
    request: 'launch',
    name: `Debug ${basename(program)} with lock tracing`,
    program,
    ...(cwd !== undefined ? { cwd } : {}),
    [LOCK_TRACING_ATTRIBUTE]: true,
  };
}

/** js-debug names a worker's session "[worker <threadId>] <name>": the program thread a child session debugs. */
export function workerThreadOfSession(name: string): number | undefined {
  const match = /^\[worker (\d+)\]/.exec(name);
  return match ? Number(match[1]) : undefined;
}
