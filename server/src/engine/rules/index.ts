/** Every rule of the engine, in the order DESIGN.md lists them. A structural test keeps this list, the rule files, the fixture folders and docs/rules in step. */
import type { Rule } from '../rule.js';
import { lockOrder } from './lock-order.js';
import { doubleLock } from './double-lock.js';
import { lockLeak } from './lock-leak.js';
import { unguardedWrite } from './unguarded-write.js';
import { nonAtomicUpdate } from './non-atomic-update.js';
import { blockingInAsync } from './blocking-in-async.js';
import { syncIoInAsync } from './sync-io-in-async.js';
import { awaitHoldingLock } from './await-holding-lock.js';
import { asyncAtomicity } from './async-atomicity.js';
import { blockingOnMainThread } from './blocking-on-main-thread.js';

export const rules: readonly Rule[] = [
  lockOrder,
  doubleLock,
  lockLeak,
  unguardedWrite,
  nonAtomicUpdate,
  blockingInAsync,
  syncIoInAsync,
  awaitHoldingLock,
  asyncAtomicity,
  blockingOnMainThread,
];
