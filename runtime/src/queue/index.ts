/** SharedQueue's public surface: the queue, its options and handle types, and the codec interface. */
export {
  SharedQueue,
  type PutAsyncOptions,
  type PutOptions,
  type SharedQueueLocalOptions,
  type SharedQueueOptions,
} from './shared-queue.js';
export type { SharedQueueHandle } from './handle.js';
export { jsonCodec, type QueueCodec } from './codec.js';
export type { QueueOrder } from './layout.js';
