// Handles posted to workers after they start: two workers get the same two locks with the roles swapped.
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const config = new Mutex({ name: 'config' });
const cache = new Mutex({ name: 'cache' });

const reader = new Worker(new URL('./worker.js', import.meta.url));
reader.postMessage({ outer: config.handle, inner: cache.handle });

const writer = new Worker(new URL('./worker.js', import.meta.url));
writer.postMessage({ outer: cache.handle, inner: config.handle });
