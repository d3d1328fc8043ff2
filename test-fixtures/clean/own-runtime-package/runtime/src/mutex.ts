// A project's own Mutex in a folder called runtime/src: it is not @deadbolt/runtime, so Deadbolt has no
// contract to check against it and must stay silent about it.
export class Mutex {
  lock(): void {}
  unlock(): void {}
}
