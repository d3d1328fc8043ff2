/**
 * Reads a trace channel: JSON lines, one TraceBatch each, from a pipe (the adapter's fd 3) or a socket (the
 * extension's listener). Knows nothing of DAP or editors.
 */
import type { Readable } from 'node:stream';
import type { TraceBatch } from '@deadbolt/runtime/trace';

export interface BatchListener {
  batch(batch: TraceBatch): void;
  /** The channel carried something unreadable. */
  failure(message: string): void;
}

export function readTraceBatches(stream: Readable, listener: BatchListener): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (line === '') continue;
      let batch: TraceBatch;
      try {
        batch = JSON.parse(line) as TraceBatch;
      } catch {
        listener.failure(`unreadable trace line: ${line.slice(0, 200)}`);
        continue;
      }
      listener.batch(batch);
    }
  });
}
