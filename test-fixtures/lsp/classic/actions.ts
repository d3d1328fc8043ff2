// Two actions on two shared mutexes, each locking one, doing some work, then locking the other: the shape at the
// top of the quick-fix documentation, for the editor tests (Neovim and code-server) of the lockAll quick fix.
import { Mutex } from '@deadbolt/runtime';

const a = new Mutex({ name: 'a' });
const b = new Mutex({ name: 'b' });

export function actionA(): void {
  a.lock();
  console.log('A has a');
  b.lock();
  console.log('A has both');
  b.unlock();
  a.unlock();
}

export function actionB(): void {
  b.lock();
  console.log('B has b');
  a.lock();
  console.log('B has both');
  a.unlock();
  b.unlock();
}
