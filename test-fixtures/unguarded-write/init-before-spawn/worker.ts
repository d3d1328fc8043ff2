// The worker started by main.ts: it only reads and posts, so the main thread's writes are what the fixture checks.
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage('/jobs');
