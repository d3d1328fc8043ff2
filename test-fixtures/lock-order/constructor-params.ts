// Locks handed to a constructor and kept in fields are the arguments of each `new`: new Pipe(left, right) and
// new Pipe(right, left) take the same two locks in opposite orders; two pipes built in one order do not.
import { Mutex } from '@deadbolt/runtime';

class Pipe {
  constructor(private readonly src: Mutex, private readonly dst: Mutex) {}

  pump(): void {
    using _s = this.src.lock();
    using _d = this.dst.lock(); // expect: lock-order
  }
}

class Relay {
  private readonly from: Mutex;
  private readonly to: Mutex;

  constructor(from: Mutex, to: Mutex) {
    this.from = from;
    this.to = to;
  }

  pass(): void {
    using _f = this.from.lock();
    using _t = this.to.lock();
  }
}

const left = new Mutex({ name: 'left' });
const right = new Mutex({ name: 'right' });
const up = new Mutex({ name: 'up' });
const down = new Mutex({ name: 'down' });

export const forward = new Pipe(left, right);
export const backward = new Pipe(right, left);
forward.pump();
backward.pump();

export const first = new Relay(up, down);
export const second = new Relay(up, down);
first.pass();
second.pass();
