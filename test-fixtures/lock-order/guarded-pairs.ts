// Guards kept in variables and released in `finally` blocks. `adjust` and `snapshot` take prices before orders;
// `count` and `reprice` take them the other way round.
import { Mutex } from '@deadbolt/runtime';

const prices = new Mutex({ name: 'prices' });
const orders = new Mutex({ name: 'orders' });
const book = new Map<string, number>();
let pending = 0;

export function adjust(item: string, price: number): void {
  prices.lock();
  try {
    orders.lock();
    try {
      book.set(item, price);
      pending++;
    } finally {
      orders.unlock();
    }
  } finally {
    prices.unlock();
  }
}

export function snapshot(): string {
  using _p = prices.lock();
  using _o = orders.lock();
  return `${book.size} prices, ${pending} pending`;
}

export function count(): number {
  const guard = orders.lock();
  try {
    const other = prices.lock(); // expect: lock-order
    try {
      return book.size + pending;
    } finally {
      other.unlock();
    }
  } finally {
    guard.unlock();
  }
}

export function reprice(item: string): void {
  orders.lock();
  try {
    if (pending > 0) {
      console.log('repricing with orders pending');
    }
    prices.lock(); // expect: lock-order
    try {
      book.set(item, (book.get(item) ?? 0) + 1);
    } catch (error) {
      console.error('reprice failed', error);
      throw error;
    } finally {
      prices.unlock();
    }
  } finally {
    orders.unlock();
  }
}
