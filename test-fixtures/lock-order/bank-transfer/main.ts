// Starts two tellers over the same two accounts in opposite directions: transfer(a, b) and transfer(b, a).
import { Worker } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const alice = new Mutex({ name: 'alice' });
const bob = new Mutex({ name: 'bob' });

new Worker(new URL('./teller.js', import.meta.url), { workerData: { from: alice.handle, to: bob.handle } });
new Worker(new URL('./teller.js', import.meta.url), { workerData: { from: bob.handle, to: alice.handle } });
