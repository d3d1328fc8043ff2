// Two actions on two shared mutexes, each locking one, doing some work, then locking the other: the classic
// deadlock, copied into the workspace by the editor test to apply its lockAll quick fix.
import { Mutex } from '@deadbolt/runtime';

const a = new Mutex({ name: 'a' });
const b = new Mutex({ name: 'b' });
const log: string[] = [];

export function actionA(): void {
  a.lock();
  log.push('A has a');
  b.lock();
  log.push('A has both');
  b.unlock();
  a.unlock();
}

export function actionB(): void {
  b.lock();
  log.push('B has b');
  a.lock();
  log.push('B has both');
  a.unlock();
  b.unlock();
}
