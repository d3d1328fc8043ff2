// A Web Worker's script (it answers its creator through self.onmessage): a worker may block, nothing is reported,
// even though it also names `document` in a check.
/// <reference lib="dom" />
import { Mutex, type MutexHandle } from '@deadbolt/runtime';

self.onmessage = (event: MessageEvent<MutexHandle>) => {
  if (typeof document !== 'undefined') return;
  const mutex = Mutex.from(event.data);
  mutex.lock();
  mutex.unlock();
};
