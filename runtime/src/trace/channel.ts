/**
 * Where the collector writes trace batches: a file descriptor the adapter opened for the program it spawned
 * (`fd:<n>`), or a Unix socket (a named pipe on Windows) that a debugger which did not start the program listens on
 * (`socket:<path>`: the VS Code extension, when the JavaScript debugger runs the program with lock tracing on).
 */
import { writeSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { TRACE_ENV } from './events.js';

export type ChannelSpec = { fd: number } | { socket: string };

export interface TraceChannel {
  /** Writes all of `text`; resolves false once the other end is gone. Resolved means handed to the system. */
  send(text: string): boolean | Promise<boolean>;
}

export function parseChannel(text: string): ChannelSpec {
  const fd = /^(?:fd:)?(\d+)$/.exec(text);
  if (fd) return { fd: Number(fd[1]) };
  if (text.startsWith('socket:') && text.length > 'socket:'.length) return { socket: text.slice('socket:'.length) };
  throw new Error(`${TRACE_ENV} must be fd:<number> or socket:<path>, got '${text}'`);
}

/** Opens the channel; rejects when a socket cannot be reached. */
export async function openChannel(spec: ChannelSpec): Promise<TraceChannel> {
  if ('fd' in spec) return new FdChannel(spec.fd);
  const socket = createConnection(spec.socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new SocketChannel(socket);
}

class FdChannel implements TraceChannel {
  /** A private word to sleep on while the pipe is full. */
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly fd: number) {}

  send(text: string): boolean {
    let bytes = Buffer.from(text);
    while (bytes.length > 0) {
      try {
        const written = writeSync(this.fd, bytes);
        bytes = bytes.subarray(written);
      } catch (error) {
        // A non-blocking pipe that is full: give the adapter a moment to read, then retry.
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(this.sleeper, 0, 0, 1);
          continue;
        }
        return false;
      }
    }
    return true;
  }
}

class SocketChannel implements TraceChannel {
  private open = true;

  constructor(private readonly socket: Socket) {
    // The listener going away is the normal end of a debug session, not an error of the program.
    socket.on('error', () => (this.open = false));
    socket.on('close', () => (this.open = false));
  }

  send(text: string): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    // Waiting for the write callback is what lets a flush before exit promise that the batch left the process.
    return new Promise((resolve) => this.socket.write(text, (error) => resolve(error == null && this.open)));
  }
}
