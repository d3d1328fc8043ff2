// Nested try/finally acquisitions in opposite orders; the fix swaps the inverted pair and its releases.
import { Mutex } from '@deadbolt/runtime';

const config = new Mutex({ name: 'config' });
const state = new Mutex({ name: 'state' });

export function load(): void {
  config.lock();
  try {
    state.lock();
    try {
      // read both
    } finally {
      state.unlock();
    }
  } finally {
    config.unlock();
  }
}

export function save(): void {
  state.lock();
  try {
    config.lock(); // expect: lock-order
    try {
      // write both
    } finally {
      config.unlock();
    }
  } finally {
    state.unlock();
  }
}
