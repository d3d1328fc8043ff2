// Sync I/O reached through helpers is reported at the call in the coroutine, with the chain. A helper that
// reads a file and then waits on Atomics is reported by both rules: neither hides the other.
import { readFileSync, statSync } from 'node:fs';

const flag = new Int32Array(new SharedArrayBuffer(4));

function fileSize(file: string): number {
  return statSync(file).size;
}

function sizeOrZero(file: string): number {
  try {
    return fileSize(file);
  } catch {
    return 0;
  }
}

function readThenWait(file: string): string {
  const text = readFileSync(file, 'utf8');
  Atomics.wait(flag, 0, 0, 10);
  return text;
}

export async function totalSize(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += sizeOrZero(file); // expect: sync-io-in-async
  return total;
}

export async function handshake(file: string): Promise<string> {
  return readThenWait(file); // expect: blocking-in-async, sync-io-in-async
}
