/** Worker that posts its thread token (how lock words and holder rows name it) and exits: a token of a dead thread. */
import { parentPort } from 'node:worker_threads';
import { threadToken } from '../../src/thread-table.js';

parentPort?.postMessage(threadToken);
