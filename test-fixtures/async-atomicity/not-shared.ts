// State no other task writes is not raced on: a per-request object handed in (koajs/koa#1351, where ESLint's
// require-atomic-updates reported `ctx.body = await ...`), an object each call builds for itself, and module state
// only one run of the program's entry writes.
import { Worker } from 'node:worker_threads';

declare function render(path: string): Promise<string>;
declare function measure(part: string): Promise<number>;

interface Context {
  path: string;
  body?: string;
}

export async function handler(ctx: Context, next: () => Promise<void>): Promise<void> {
  await next();
  ctx.body = ctx.body ?? await render(ctx.path);
}

class Upload {
  private size = 0;

  async add(part: string): Promise<void> {
    this.size = this.size + await measure(part);
  }

  get total(): number {
    return this.size;
  }
}

export async function upload(parts: readonly string[]): Promise<number> {
  const job = new Upload();
  await job.add(parts[0]!);
  return job.total;
}

let workers = 0;

async function main(): Promise<void> {
  const started = workers;
  await measure('boot');
  workers = started + 1;
  new Worker(new URL('./worker.js', import.meta.url));
}

void main();

// An async iterator's `next` is not called again before its last result settles (`for await` waits for it), so its
// lazily opened source is not raced on (powersync-js packages/shared-internals, `AbstractStreamingSyncImplementation`).
export function lines(open: () => Promise<AsyncIterator<string>>): AsyncIterator<string> {
  let inner: AsyncIterator<string> | undefined;
  return {
    async next(): Promise<IteratorResult<string>> {
      if (inner == null) {
        inner = await open();
      }
      return inner.next();
    },
  };
}
