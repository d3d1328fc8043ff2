/**
 * The program process under the adapter: spawns node with the tracing preload, with the trace channel on file
 * descriptor 3, and turns its three output pipes into callbacks (program output, trace batches, exit).
 * Knows nothing of DAP.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { TRACE_ENV, type TraceBatch } from '@deadbolt/runtime/trace';
import { nodeArguments, type ValidLaunch } from './launch-config.js';
import { readTraceBatches } from './trace-lines.js';

/** The file descriptor the program's collector writes trace batches to. */
const TRACE_FD = 3;

export interface ProgramListener {
  output(text: string, category: 'stdout' | 'stderr'): void;
  batch(batch: TraceBatch): void;
  /** The process ended and every pipe, the trace channel included, has been read to its end. */
  exit(code: number | null, signal: NodeJS.Signals | null): void;
  /** The process could not be started, or the trace channel carried something unreadable. */
  failure(message: string): void;
}

export class TracedProgram {
  private readonly child: ChildProcess;
  private ended = false;

  constructor(launch: ValidLaunch, entry: string, preload: string, listener: ProgramListener) {
    this.child = spawn(process.execPath, nodeArguments(launch, entry, preload), {
      cwd: launch.cwd,
      env: { ...launch.env, [TRACE_ENV]: `fd:${TRACE_FD}` },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => listener.output(text, 'stdout'));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => listener.output(text, 'stderr'));
    readTraceBatches(this.child.stdio[TRACE_FD] as Readable, listener);
    this.child.on('error', (error) => listener.failure(`cannot start node: ${error.message}`));
    // 'close' rather than 'exit': it comes after the pipes are drained, so no trace batch arrives after it.
    this.child.on('close', (code, signal) => {
      this.ended = true;
      listener.exit(code, signal);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** Ends the program and all its workers (they are threads of the one process). */
  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }
}
