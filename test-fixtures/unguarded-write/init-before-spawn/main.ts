// The main thread fills guarded state before it starts any worker (initialisation, not a race), then writes it
// again after the workers exist: only those later unlocked writes are reported.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const routesLock = new Mutex({ name: 'routes' });
/** @guardedBy routesLock */
const routes = new Map<string, number>();
/** @guardedBy routesLock */
let generation = 0;

routes.set('/version', 0);
generation = 1;

function seed(): void {
  routes.set('/', 0);
  routes.set('/health', 1);
}

function main(): void {
  seed();
  generation = 2;
  const workers: Worker[] = [];
  for (let i = 0; i < 2; i++) {
    const w = new Worker(new URL('./worker.js', import.meta.url));
    w.on('message', (path: string) => {
      using _ = routesLock.lock();
      routes.set(path, routes.size);
    });
    workers.push(w);
  }
  generation = 3; // expect: unguarded-write
  routes.delete('/health'); // expect: unguarded-write
}

export function reload(): void {
  routes.clear(); // expect: unguarded-write
}

main();
generation = 4; // expect: unguarded-write
