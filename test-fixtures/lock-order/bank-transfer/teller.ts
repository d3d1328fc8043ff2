// A worker that moves money between the two accounts whose mutex handles it receives.
import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';
import { transfer } from './account.js';

const from = Mutex.from(workerData.from);
const to = Mutex.from(workerData.to);

for (let i = 0; i < 1000; i++) transfer(from, to, 1);
