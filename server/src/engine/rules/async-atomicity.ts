/**
 * Rule `async-atomicity`: a coroutine reads shared state, suspends (`await`, `yield`, `for await`), then writes the
 * state from what it read (a lost update), or under a check of it (check-then-act: a cache stampede, a double
 * initialisation), or empties a collection it handed to the awaited call (a lost batch); and another task can write
 * the state while it is suspended, with no lock held by both. The shapes live in detect/async-races.ts, the fixes in
 * fixes/async-atomicity.ts (await first; swap, then write; check again) and fixes/generation-count.ts (a generation
 * check, for state other functions invalidate).
 */
import type { Rule } from '../rule.js';
import { findRaces, type Race } from '../detect/async-races.js';
import { spanOf } from '../span.js';
import { Node } from 'ts-morph';
import { locationOf } from '../detect/shared-state.js';
import { awaitFirstFix, recheckFix, swapFirstFix } from '../fixes/async-atomicity.js';
import { generationFix } from '../fixes/generation-count.js';
import type { Fix } from '../types.js';

export const asyncAtomicity: Rule = {
  id: 'async-atomicity',
  description: 'Finds shared state read before an await and written after it from what was read, or under a check of it, while another task can write it in between.',
  defaultSeverity: 'warning',
  check(context) {
    for (const race of findRaces(context.files, context.model)) {
      context.report({
        rule: 'async-atomicity',
        message: messageFor(race),
        span: spanOf(race.write),
        related: [
          { span: spanOf(race.read), message: race.shape === 'check' ? `\`${race.name}\` checked here` : `\`${race.name}\` read here` },
          { span: spanOf(race.suspension), message: `the coroutine suspends here; other tasks run` },
          { span: spanOf(race.other.node), message: `${describeWriter(race.other.owner)} writes \`${race.name}\` here${race.other.unlocked ? '' : ' (without the lock held around the read and the write)'}` },
        ],
        fixes: fixesFor(race),
      });
    }
  },
};

function fixesFor(race: Race): Fix[] {
  const fix =
    race.shape === 'update' ? awaitFirstFix(race.write, race.suspension)
    : race.shape === 'clear' ? swapFirstFix(race.write, race.read, race.touchedBetween)
    : race.clearers.length > 0 ? generationFix(race.write, race.suspension, race.clearers)
    : recheckFix(race.write, race.read, race.suspension);
  return fix === undefined ? [] : [fix];
}

function line(node: Node): number {
  return node.getStartLineNumber();
}

function keyword(suspension: Node): string {
  const text = suspension.getText();
  return text.startsWith('yield') ? '`yield`' : text.startsWith('for') ? '`for await`' : '`await`';
}

/** How messages name a function: by its name, else as "a callback" or "top-level code". */
export function describeWriter(owner: Node | undefined): string {
  if (owner === undefined) return 'top-level code';
  const named = owner as Node & { getName?: () => string | undefined };
  const name = typeof named.getName === 'function' ? named.getName() : undefined;
  if (name) return `\`${name}\``;
  const parent = owner.getParent() as (Node & { getName?: () => string | undefined }) | undefined;
  const holder = parent !== undefined && typeof parent.getName === 'function' ? parent.getName() : undefined;
  return holder ? `\`${holder}\`` : 'a callback';
}

function messageFor(race: Race): string {
  const file = race.other.node.getSourceFile() === race.write.getSourceFile() ? '' : ` of ${race.other.node.getSourceFile().getBaseName()}`;
  const where = race.other.owner === race.owner ? `another call of ${describeWriter(race.owner)}` : `${describeWriter(race.other.owner)} (line ${line(race.other.node)}${file})`;
  const suspends = `${keyword(race.suspension)} on line ${line(race.suspension)}`;
  switch (race.shape) {
    case 'update':
      return `\`${race.name}\` is read on line ${line(race.read)} and written back here from that value, but the coroutine suspends at ${suspends} in between: ${where} can write \`${race.name}\` meanwhile, and this write overwrites it (a lost update). Re-read \`${race.name}\` after the await, or hold one lock over the read, the write and the other writers.`;
    case 'check':
      return `\`${race.name}\` is checked on line ${line(race.read)} and written here under that check, but the coroutine suspends at ${suspends} in between: ${where} can write \`${race.name}\` meanwhile, so the check no longer holds (check-then-act). Store the promise before awaiting it (single-flight), check again after the await, or hold one lock over the check and the write.`;
    case 'clear':
      return `\`${race.name}\` is handed on at line ${line(race.read)} and emptied here, but the coroutine suspends at ${suspends} in between: entries ${where} adds meanwhile are dropped (a lost batch). Take the entries out before awaiting (${takeOut(race)}), so what arrives meanwhile waits for the next batch.`;
  }
}

/**
 * How to take a batch out of the state before awaiting, for the state's type: an array's `splice(0)`; for a `Map` or
 * `Set`, swapping in a new one, or, when the binding cannot be assigned (`const`, `readonly`), copying then clearing.
 */
function takeOut(race: Race): string {
  const kind = collectionKind(race.read);
  const name = race.name;
  if (kind === 'array') return `\`const batch = ${name}.splice(0)\`, or swap in a new array`;
  if (kind === 'Map' || kind === 'Set') {
    return assignable(race.read) ? `swap in a new one: \`const batch = ${name}; ${name} = new ${kind}();\`` : `copy, then clear: \`const batch = new ${kind}(${name}); ${name}.clear();\``;
  }
  return 'swap in a new, empty collection';
}

/** Whether the state is an array, a `Map` or a `Set` (their read-only and weak views count as the same). */
function collectionKind(read: Node): 'array' | 'Map' | 'Set' | undefined {
  const type = read.getType();
  const types = type.isUnion() ? type.getUnionTypes().filter((t) => !t.isNull() && !t.isUndefined()) : [type];
  const kinds = new Set(types.map((t): 'array' | 'Map' | 'Set' | undefined => {
    if (t.isArray() || t.isReadonlyArray?.() || t.isTuple()) return 'array';
    const symbol = (t.getSymbol() ?? t.getAliasSymbol())?.getName();
    if (symbol === 'Map' || symbol === 'ReadonlyMap') return 'Map';
    if (symbol === 'Set' || symbol === 'ReadonlySet') return 'Set';
    return undefined;
  }));
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Whether the state can be assigned a new collection: not a `const` binding or a `readonly` field. */
function assignable(read: Node): boolean {
  const declaration = locationOf(read)?.declaration;
  if (declaration === undefined) return false;
  if (Node.isVariableDeclaration(declaration)) return declaration.getVariableStatement()?.getDeclarationKind() !== 'const';
  if (Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration)) return !declaration.isReadonly();
  return true;
}
