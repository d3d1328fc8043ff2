/**
 * The receiving end of a trace channel for a program that a debugger other than deadbolt-dap starts (VS Code's
 * JavaScript debugger with lock tracing on): listens on a fresh local socket (a named pipe on Windows), named to the
 * program as `DEADBOLT_TRACE=socket:<path>`, and reads the batches of the first collector that connects. Knows
 * nothing of DAP or editors.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACE_ENV } from '@deadbolt/runtime/trace';
import { readTraceBatches, type BatchListener } from './trace-lines.js';

export interface TraceListenerEvents extends BatchListener {
  /** The program's collector connected. */
  connected(): void;
  /** The program ended (or closed the channel): no batch follows. */
  ended(): void;
}

export class TraceListener {
  private socket: Socket | undefined;

  private constructor(
    private readonly server: Server,
    /** The value of DEADBOLT_TRACE that makes the program's collector connect here. */
    readonly spec: string,
  ) {}

  static async open(events: TraceListenerEvents): Promise<TraceListener> {
    const name = `deadbolt-trace-${process.pid}-${randomBytes(6).toString('hex')}`;
    // Unix socket paths are limited to about 100 bytes, so the short temporary directory, not a workspace folder.
    const path = process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : join(tmpdir(), `${name}.sock`);
    let listener: TraceListener | undefined;
    const server = createServer((socket) => {
      // One program per listener: a second connection (a child process that kept the variable) is turned away.
      if (listener === undefined || listener.socket !== undefined) {
        socket.destroy();
        return;
      }
      listener.socket = socket;
      server.close();
      events.connected();
      readTraceBatches(socket, events);
      socket.on('close', () => events.ended());
      socket.on('error', (error) => events.failure(`trace channel: ${error.message}`));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    listener = new TraceListener(server, `socket:${path}`);
    return listener;
  }

  /** The environment that makes the program's collector connect here. */
  environment(): Record<string, string> {
    return { [TRACE_ENV]: this.spec };
  }

  /** Stops listening and drops the connection (the program then runs on untraced). */
  close(): void {
    this.server.close();
    this.socket?.destroy();
  }
}
