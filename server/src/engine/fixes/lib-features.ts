/**
 * What the project's own lib declares, for fixes that would write a newer feature: `Atomics.waitAsync` (lib ES2024)
 * and `using` / `await using` (`Symbol.dispose` and `Symbol.asyncDispose`, lib esnext.disposable). Read from the
 * checker of the analysed program, so it follows the user's `lib` and `target`; a fix that needs a feature the lib
 * lacks takes another form or is not offered (and the type-check gate stands behind both).
 */
import { ts, type Node } from 'ts-morph';

/** Whether the global `owner` (a value, such as `Atomics` or `Symbol`) has a member `member` where `at` is. */
export function globalHasMember(at: Node, owner: string, member: string): boolean {
  try {
    const checker = at.getProject().getTypeChecker().compilerObject;
    const symbol = checker.resolveName(owner, at.compilerNode, ts.SymbolFlags.Value, false);
    if (symbol === undefined) return false;
    return checker.getTypeOfSymbol(symbol).getProperty(member) !== undefined;
  } catch {
    return false;
  }
}

/** `Atomics.waitAsync` is declared (lib ES2024 or later). */
export function hasWaitAsync(at: Node): boolean {
  return globalHasMember(at, 'Atomics', 'waitAsync');
}

/** `using` declarations type-check: the lib declares `Symbol.dispose` (and so `Disposable`). */
export function hasUsing(at: Node): boolean {
  return globalHasMember(at, 'Symbol', 'dispose');
}
