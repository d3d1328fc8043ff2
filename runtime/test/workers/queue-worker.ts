/**
 * Worker script for the SharedQueue tests. `workerData.role` picks what it does with the queue; it reports back
 * with postMessage so tests wait on messages, never on time. Loaded on the main thread (as `node --test dist/test/`
 * does with every file under test/), it does nothing.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { SharedQueue, type SharedQueueHandle } from '../../src/index.js';
import { WITHIN_MS } from '../harness.js';

type Item = [producer: number, n: number] | null;

interface Data {
  role: 'produce' | 'consume' | 'consume-async' | 'blocked-put' | 'serve';
  handle?: SharedQueueHandle;
  producer?: number;
  count?: number;
}

const data = workerData as Data | undefined;

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

if (parentPort !== null && data !== undefined) run(parentPort, data);

function run(port: MessagePort, data: Data): void {
  switch (data.role) {
    case 'produce': {
      const q = SharedQueue.from<Item>(data.handle!);
      for (let n = 0; n < data.count!; n++) q.put([data.producer!, n]);
      port.postMessage('done');
      break;
    }
    case 'consume': {
      // Takes items until a null, marking each one done, and reports everything it took in the order it took it.
      const q = SharedQueue.from<Item>(data.handle!);
      const taken: [number, number][] = [];
      for (let item = q.get(); item !== null; item = q.get()) {
        taken.push(item);
        q.taskDone();
      }
      q.taskDone(); // the null counts as a put too
      port.postMessage(taken);
      break;
    }
    case 'consume-async': {
      // The same as 'consume' with getAsync, so sync and async waiters share the queue's conditions.
      const q = SharedQueue.from<Item>(data.handle!);
      void (async () => {
        const taken: [number, number][] = [];
        for (let item = await q.getAsync(); item !== null; item = await q.getAsync()) {
          taken.push(item);
          q.taskDone();
        }
        q.taskDone();
        port.postMessage(taken);
      })();
      break;
    }
    case 'blocked-put': {
      // The queue is full when this starts: a put with a timeout must time out, then a plain put waits for room.
      const q = SharedQueue.from<string>(data.handle!);
      try {
        q.put('timed', { timeout: 50 });
        port.postMessage('put returned on a full queue');
      } catch (error) {
        port.postMessage(`timed put: ${errorName(error)}`);
      }
      port.postMessage(`tryPut: ${q.tryPut('try')}`);
      q.put('waited');
      port.postMessage('put done');
      break;
    }
    case 'serve': {
      // Receives the handle by postMessage (not workerData) and then obeys commands.
      let q: SharedQueue<unknown> | undefined;
      port.on('message', (m: { op: string; handle?: SharedQueueHandle; value?: unknown; priority?: number }) => {
        if (m.op === 'open') {
          q = SharedQueue.from(m.handle!);
          port.postMessage({ op: 'opened', order: q.order, capacity: q.capacity });
        } else if (m.op === 'put') {
          q!.put(m.value, m.priority === undefined ? {} : { priority: m.priority });
          port.postMessage({ op: 'put' });
        } else if (m.op === 'get') {
          port.postMessage({ op: 'got', value: q!.get({ timeout: WITHIN_MS }) });
        } else if (m.op === 'ping') {
          port.postMessage({ op: 'pong' });
        } else if (m.op === 'exit') {
          port.close();
        }
      });
      break;
    }
  }
}
