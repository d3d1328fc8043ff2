/**
 * In-house lock classes, described in `deadbolt.config.json`'s `lockModels`: which class (and where it is declared),
 * which methods take, try, release or run a callback under the lock, and whether it is re-entrant. A receiver is one
 * of these locks when its checked type is that class (or a subclass), so a same-named class elsewhere is not.
 */
import path from 'node:path';
import type { Node, Type } from 'ts-morph';
import type { DeadboltConfig, LockModelConfig } from '../types.js';
import { lockCallOf, lockMethodNames, type LockCall } from './lock-models.js';
import { packageNameOf } from './runtime.js';

const SOURCE_EXTENSION = /\.(d\.)?[mc]?[jt]sx?$/;
const MAX_BASE_DEPTH = 4;

export class CustomLockModels {
  static readonly none = new CustomLockModels([], undefined);
  private static readonly memo = new WeakMap<readonly LockModelConfig[], CustomLockModels>();

  /** The models of a configuration (the same object for the same loaded `lockModels` and folder). */
  static of(config: DeadboltConfig): CustomLockModels {
    const models = config.lockModels;
    if (models === undefined || models.length === 0) return CustomLockModels.none;
    let known = CustomLockModels.memo.get(models);
    if (known === undefined || known.baseDir !== config.baseDir) {
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
    models: readonly LockModelConfig[],
    readonly baseDir: string | undefined,
  ) {
    for (const model of models) {
      const list = this.byClass.get(model.class);
      if (list) list.push(model);
      else this.byClass.set(model.class, [model]);
    }
    this.methods = new Set(models.flatMap((m) => lockMethodNames(m)));
    this.runUnderMethods = new Set(models.flatMap((m) => Object.keys(m.runUnder ?? {})));
    this.classText = models.length === 0 ? undefined : new RegExp(`(?<![\\w$])(?:${[...this.byClass.keys()].map(escape).join('|')})(?![\\w$])`);
    this.lockingText = this.methods.size === 0 ? undefined : new RegExp(`\\.(?:${[...this.methods].map(escape).join('|')})\\s*\\(`);
  }

  /**
   * What `receiver.method(...)` does when the receiver is one of these locks (by its checked type; a subclass
   * counts), with its model; undefined when it is none, or the method is not in its model.
   */
  lockCallAt(receiver: Node, method: string): { model: LockModelConfig; call: LockCall } | undefined {
    if (!this.methods.has(method)) return undefined;
    let type: Type;
    try {
      type = receiver.getType().getNonNullableType();
    } catch {
      return undefined;
    }
    const model = this.modelOfType(type, 0);
    const call = model && lockCallOf(model, method);
    return call && { model: model!, call };
  }

  /** The model of the lock an expression denotes, by its checked type (a subclass counts); undefined for none. */
  modelAt(expression: Node): LockModelConfig | undefined {
    if (this.byClass.size === 0) return undefined;
    try {
      return this.modelOfType(expression.getType().getNonNullableType(), 0);
    } catch {
      return undefined;
    }
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
