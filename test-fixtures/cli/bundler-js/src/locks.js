// Plain JavaScript for a bundler: the two locks every module of the app shares.
import { Mutex } from '@deadbolt/runtime';

export const inventory = new Mutex({ name: 'inventory' });
export const orders = new Mutex({ name: 'orders' });
