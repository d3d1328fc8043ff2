/**
 * Worker for the checked-mode capacity test: turns checked mode on, records `pairs` distinct lock orders, then
 * takes x before y and y before x, and reports whether the inversion was caught and what warnings were emitted.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { configure, droppedOrderEdges, Mutex } from '../../src/index.js';

if (parentPort !== null) {
  const warnings: string[] = [];
  process.on('warning', (warning) => warnings.push(warning.message));
  configure({ checkLockOrder: true });
  const { pairs } = workerData as { pairs: number };
  for (let i = 0; i < pairs; i++) {
    const a = new Mutex({ name: `outer-${i}` });
    const b = new Mutex({ name: `inner-${i}` });
    a.lock();
    b.lock();
    b.unlock();
    a.unlock();
  }
  const x = new Mutex({ name: 'x' });
  const y = new Mutex({ name: 'y' });
  x.withLock(() => y.withLock(() => {}));
  let violation = '';
  y.lock();
  try {
    x.lock();
    x.unlock();
  } catch (error) {
    violation = (error as Error).name;
  }
  y.unlock();
  // Warnings are emitted on the next tick.
  setImmediate(() => parentPort!.postMessage({ violation, warnings, dropped: droppedOrderEdges() }));
}
