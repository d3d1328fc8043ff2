// A lock-order cycle in one file, for the headless Neovim test: pay() and refund() take the same two locks in
// opposite orders, so two threads running one each can deadlock.
import { Mutex } from '@deadbolt/runtime';

const ledger = new Mutex({ name: 'ledger' });
const wallet = new Mutex({ name: 'wallet' });

export function pay(): void {
  ledger.lock();
  wallet.lock();
  wallet.unlock();
  ledger.unlock();
}

export function refund(): void {
  wallet.lock();
  ledger.lock();
  ledger.unlock();
  wallet.unlock();
}
