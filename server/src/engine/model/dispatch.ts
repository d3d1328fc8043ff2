/**
 * Which method a call runs when the declaration its name resolves to is not the whole story: the override in the
 * receiver's class (a base class's method that calls `this.runTx(...)`, walked for a subclass), or, for an abstract
 * method or an interface member (no body), the implementations in the analysed classes that extend or implement its
 * owner. Subclasses are found through heritage clauses, which dependencies.ts also records as edges, so a kept walk
 * is dropped when a subclass it dispatched to changes.
 */
import { Node, ts, type ClassDeclaration, type SourceFile } from 'ts-morph';
import { findNodesCached } from '../detect/compiler-walk.js';
import { getOrInsert } from '../maps.js';
import { aliasedSymbolOf } from './symbol-cache.js';

/** A dispatch through an abstract member walks at most this many implementations. */
const MAX_IMPLEMENTATIONS = 4;
const MAX_BASE_DEPTH = 8;

export class Dispatch {
  private subclasses: Map<Node, ClassDeclaration[]> | undefined;
  /** Each class's chain of base classes (itself first), asked of the checker once per class. */
  private readonly chains = new Map<ClassDeclaration, ClassDeclaration[]>();
  private readonly methods = new Map<ClassDeclaration, Map<string, Node | undefined>>();

  constructor(private readonly files: readonly SourceFile[]) {}

  /**
   * The method (with a body) an instance of `cls` runs for `name`: its own or its nearest base class's. Kept per
   * class and name: a walk asks it again at every inlined call of a method, and each answer reads the class's members.
   */
  methodOf(cls: ClassDeclaration, name: string): Node | undefined {
    const known = getOrInsert(this.methods, cls, () => new Map<string, Node | undefined>());
    if (known.has(name)) return known.get(name);
    let found: Node | undefined;
    for (const current of this.chainOf(cls)) {
      found = ownImplementation(current, name);
      if (found) break;
    }
    known.set(name, found);
    return found;
  }

  /** Whether `ancestor` is `cls` or one of its base classes. */
  isSelfOrBase(cls: ClassDeclaration, ancestor: Node): boolean {
    return (this.chainOf(cls) as readonly Node[]).includes(ancestor);
  }

  private chainOf(cls: ClassDeclaration): ClassDeclaration[] {
    let chain = this.chains.get(cls);
    if (chain === undefined) {
      chain = [];
      for (let current: ClassDeclaration | undefined = cls; current && chain.length < MAX_BASE_DEPTH; current = current.getBaseClass()) chain.push(current);
      this.chains.set(cls, chain);
    }
    return chain;
  }

  /** The implementations of a member without a body (abstract, or of an interface) in classes that extend or implement its owner. */
  implementationsOf(member: Node): Node[] {
    const owner = member.getParent();
    const name = memberName(member);
    if (!owner || name === undefined || !(Node.isClassDeclaration(owner) || Node.isInterfaceDeclaration(owner))) return [];
    const found: Node[] = [];
    const seen = new Set<Node>([owner]);
    const pending = [...this.subclassesOf(owner)];
    while (pending.length > 0 && found.length < MAX_IMPLEMENTATIONS) {
      const cls = pending.shift()!;
      if (seen.has(cls)) continue;
      seen.add(cls);
      // An implementing class may inherit the method from its own base (`class PGlite extends BasePGlite implements PGliteInterface`).
      const own = this.methodOf(cls, name);
      if (own && !found.includes(own)) found.push(own);
      pending.push(...this.subclassesOf(cls));
    }
    return found;
  }

  private subclassesOf(owner: Node): readonly ClassDeclaration[] {
    if (this.subclasses === undefined) {
      this.subclasses = new Map();
      for (const file of this.files) {
        for (const cls of findNodesCached(file, isDerivedClass) as ClassDeclaration[]) {
          for (const clause of cls.getHeritageClauses()) {
            for (const type of clause.getTypeNodes()) {
              const symbol = aliasedSymbolOf(type.getExpression());
              for (const base of symbol?.getDeclarations() ?? []) {
                const list = this.subclasses.get(base);
                if (list) list.push(cls);
                else this.subclasses.set(base, [cls]);
              }
            }
          }
        }
      }
    }
    return this.subclasses.get(owner) ?? [];
  }
}

/** The member declaration a call's name resolves to, with or without a body (an abstract method, an interface's). */
export function declaredMember(nameNode: Node): Node | undefined {
  return aliasedSymbolOf(nameNode)?.getDeclarations().find((d) => memberName(d) !== undefined);
}

function isDerivedClass(node: ts.Node): boolean {
  return ts.isClassDeclaration(node) && node.heritageClauses !== undefined;
}

function memberName(member: Node): string | undefined {
  if (Node.isMethodDeclaration(member) || Node.isMethodSignature(member) || Node.isPropertyDeclaration(member) || Node.isPropertySignature(member)) return member.getName();
  return undefined;
}

/** A method of the class itself with a body, or a field initialised with a function, named `name`. */
function ownImplementation(cls: ClassDeclaration, name: string): Node | undefined {
  for (const member of cls.getMembers()) {
    if (Node.isMethodDeclaration(member) && !member.isStatic() && member.getName() === name && member.getBody() !== undefined) return member;
    if (Node.isPropertyDeclaration(member) && !member.isStatic() && member.getName() === name) {
      const initializer = member.getInitializer();
      if (initializer && (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer))) return initializer;
    }
  }
  return undefined;
}
