/**
 * In-house lock classes, described in `deadbolt.config.json`'s `lockModels`: which class (and where it is declared),
 * which methods take, try, release or run a callback under the lock, and whether it is re-entrant. A receiver is one
 * of these locks when its checked type is that class (or a subclass), so a same-named class elsewhere is not.
 */
import path from 'node:path';
import type { Node, Type } from 'ts-morph';
import type { DeadboltConfig, LockMethodWait, LockModelConfig } from '../types.js';
import { packageNameOf } from './runtime.js';

/** What one call of a configured method does to its receiver's lock. */
export type CustomLockCall =
  | { part: 'acquire' | 'runUnder'; wait: LockMethodWait }
  | { part: 'tryAcquire' | 'release' };

const SOURCE_EXTENSION = /\.(d\.)?[mc]?[jt]sx?$/;
const MAX_BASE_DEPTH = 4;

export class CustomLockModels {
  static readonly none = new CustomLockModels([], undefined);
  private static readonly memo = new WeakMap<readonly LockModelConfig[], CustomLockModels>();

  /** The models of a configuration (the same object for the same loaded `lockModels`). */
  static of(config: DeadboltConfig): CustomLockModels {
    const models = config.lockModels;
    if (models === undefined || models.length === 0) return CustomLockModels.none;
    let known = CustomLockModels.memo.get(models);
    if (known === undefined) {
      known = new CustomLockModels(models, config.baseDir);
      CustomLockModels.memo.set(models, known);
    }
    return known;
  }

  /** Every configured method name: the walker looks at a call's receiver type only for these. */
  readonly methods: ReadonlySet<string>;
  /** Methods that run a callback in place under the lock (the call graph treats them like `withLock`). */
  readonly runUnderMethods: ReadonlySet<string>;
  /** The class names, for the syntactic prefilter: a file that names none of them cannot make or type one. */
  readonly classText: RegExp | undefined;
  /** `.method(` of any configured method: text that shows a function may take or release one of these locks. */
  readonly lockingText: RegExp | undefined;
  private readonly byClass = new Map<string, LockModelConfig[]>();

  private constructor(
    private readonly models: readonly LockModelConfig[],
    private readonly baseDir: string | undefined,
  ) {
    const methods = new Set<string>();
    const runUnder = new Set<string>();
    for (const model of models) {
      const list = this.byClass.get(model.class);
      if (list) list.push(model);
      else this.byClass.set(model.class, [model]);
      for (const name of [...Object.keys(model.acquire ?? {}), ...(model.tryAcquire ?? []), ...(model.release ?? [])]) methods.add(name);
      for (const name of Object.keys(model.runUnder ?? {})) {
        methods.add(name);
        runUnder.add(name);
      }
    }
    this.methods = methods;
    this.runUnderMethods = runUnder;
    this.classText = models.length === 0 ? undefined : new RegExp(`(?<![\\w$])(?:${[...this.byClass.keys()].map(escape).join('|')})(?![\\w$])`);
    this.lockingText = methods.size === 0 ? undefined : new RegExp(`\\.(?:${[...methods].map(escape).join('|')})\\s*\\(`);
  }

  get empty(): boolean {
    return this.models.length === 0;
  }

  /** The model of a call's receiver, by its checked type (a subclass counts); undefined when it is none of them. */
  modelOfReceiver(receiver: Node): LockModelConfig | undefined {
    let type: Type;
    try {
      type = receiver.getType().getNonNullableType();
    } catch {
      return undefined;
    }
    return this.modelOfType(type, 0);
  }

  /** What calling `method` on a lock of `model` does. */
  callOf(model: LockModelConfig, method: string): CustomLockCall | undefined {
    if (model.acquire && Object.hasOwn(model.acquire, method)) return { part: 'acquire', wait: model.acquire[method]! };
    if (model.runUnder && Object.hasOwn(model.runUnder, method)) return { part: 'runUnder', wait: model.runUnder[method]! };
    if (model.tryAcquire?.includes(method)) return { part: 'tryAcquire' };
    if (model.release?.includes(method)) return { part: 'release' };
    return undefined;
  }

  private modelOfType(type: Type, depth: number): LockModelConfig | undefined {
    const symbol = type.getSymbol() ?? type.getAliasSymbol();
    const candidates = symbol && this.byClass.get(symbol.getName());
    if (symbol && candidates) {
      const files = symbol.getDeclarations().map((d) => d.getSourceFile().getFilePath() as string);
      const model = candidates.find((m) => m.module === undefined || files.some((f) => this.declaredIn(f, m.module!)));
      if (model) return model;
    }
    if (depth >= MAX_BASE_DEPTH) return undefined;
    for (const base of type.getBaseTypes()) {
      const model = this.modelOfType(base, depth + 1);
      if (model) return model;
    }
    return undefined;
  }

  /** `./src/locks` (a path from the config's folder, extension optional, or a folder's index) or a package name. */
  private declaredIn(file: string, module: string): boolean {
    if (module.startsWith('./') || module.startsWith('../')) {
      const wanted = path.resolve(this.baseDir ?? path.resolve(), module).replace(SOURCE_EXTENSION, '');
      const declared = path.resolve(file).replace(SOURCE_EXTENSION, '');
      return declared === wanted || declared === path.join(wanted, 'index');
    }
    return packageNameOf(path.dirname(file)) === module;
  }
}

/** Identifiers may hold `$`, which a pattern must read as itself. */
function escape(identifier: string): string {
  return identifier.replace(/\$/g, '\\$');
}
