/**
 * Worker for the Semaphore dead-holder tests. It rebuilds a Semaphore `s` and obeys commands: take permits
 * (through withPermit, withPermitAsync or a plain acquire, `depth` of them nested) and then block, crash or exit
 * while holding them; or wait for a permit through withPermit and say whether the gate was already open when it
 * came. Blocked callers sleep on the gate (Int32 slot G_OPEN) until the test stores 1 there, or terminates them;
 * holders that crash or exit do so once the test stores 1 in G_DIE, after it has seen them holding.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Semaphore } from '../../src/index.js';
import type { SemaphoreHandle } from '../../src/index.js';
import { reportError, untilChanged, WITHIN_MS } from '../harness.js';

/** Int32 slots of the gate buffer. */
export const G_OPEN = 0; // 0 keeps blocked holders and waiters inside their scoped call; 1 lets them return
export const G_DIE = 1; // 1 tells a holder that is to crash or exit to do it now
export const GATE_BYTES = 2 * 4;

export interface PermitData {
  s: SemaphoreHandle;
  gate: SharedArrayBuffer;
}

export type PermitCommand =
  | { op: 'hold'; via: 'withPermit' | 'withPermitAsync' | 'acquire'; depth?: number; then: 'block' | 'throw' | 'exit' }
  | { op: 'wait' };

if (parentPort !== null) {
  const port = parentPort;
  const h = workerData as PermitData;
  const s = Semaphore.from(h.s);
  const gate = new Int32Array(h.gate);
  const block = (): void => {
    Atomics.wait(gate, G_OPEN, 0);
  };
  const never = new Promise<never>(() => undefined);

  /**
   * What a holder does once it holds every permit it asked for: 'block' returns when the gate opens; 'exit' and
   * 'throw' end the thread, on the test's word (so its 'holding' is surely read first), while it is still inside
   * its scoped calls: nothing unwinds and no finally runs. A synchronous holder exits from inside `fn`
   * (process.exit does not unwind); it cannot crash by throwing, since the throw would leave withPermit through
   * its finally, so 'throw' (and 'exit' of the others) goes through the event loop while the call stays pending.
   */
  const act = (then: 'block' | 'throw' | 'exit', sync: boolean): Promise<void> | void => {
    port.postMessage({ event: 'holding', available: s.available });
    if (then === 'block') return block();
    if (sync && then === 'exit') {
      Atomics.wait(gate, G_DIE, 0);
      process.exit(3);
    }
    if (sync) throw new Error("a synchronous holder cannot crash holding its permit: use 'withPermitAsync'");
    // The test may store 1 in G_DIE before this line runs (it does so once it reads 'holding'): untilChanged reads
    // waitAsync's synchronous answer too, so that word is never missed.
    void untilChanged(gate, G_DIE, 0).then(() =>
      setImmediate(() => {
        if (then === 'exit') process.exit(3);
        throw new Error('worker crashed while holding a permit');
      }),
    );
    return never;
  };

  const holdSync = (depth: number, then: 'block' | 'throw' | 'exit'): void => {
    if (depth === 0) return void act(then, true);
    s.withPermit(() => holdSync(depth - 1, then));
  };
  const holdAsync = async (depth: number, then: 'block' | 'throw' | 'exit'): Promise<void> => {
    if (depth === 0) return act(then, false);
    return s.withPermitAsync(() => holdAsync(depth - 1, then));
  };

  port.on('message', async (command: PermitCommand) => {
    try {
      if (command.op === 'wait') {
        s.withPermit(
          () => {
            port.postMessage({ event: 'acquired', gateOpen: Atomics.load(gate, G_OPEN) === 1 });
            block();
          },
          { timeout: WITHIN_MS },
        );
      } else if (command.via === 'withPermit') {
        holdSync(command.depth ?? 1, command.then);
      } else if (command.via === 'withPermitAsync') {
        await holdAsync(command.depth ?? 1, command.then);
      } else {
        for (let i = 0; i < (command.depth ?? 1); i++) s.acquire();
        await act(command.then, false);
      }
      port.postMessage({ event: 'released' });
    } catch (error) {
      port.postMessage({ event: 'failed', error: reportError(error) });
    }
  });
  port.postMessage({ event: 'ready' });
}
