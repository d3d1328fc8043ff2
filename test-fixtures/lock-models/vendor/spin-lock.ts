// Another library's class that happens to share the name: not the configured one, so not a lock to Deadbolt.
export class SpinLock {
  lock(): void {}
  unlock(): void {}
}
