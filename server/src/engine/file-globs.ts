/**
 * The globs of `deadbolt.config.json` (`ignore`, `overrides[].files`), matched against a file's path relative to
 * the folder of the config file. Patterns follow .gitignore's reading, as ESLint's and ruff's users expect: one
 * without a slash matches a name at any depth (`*.test.ts`), and one that matches a folder covers everything below.
 */
import path from 'node:path';
import { Minimatch } from 'minimatch';
import type { DeadboltConfig, RuleId, Severity } from './types.js';

/** A compiled set of patterns; `matches` takes an absolute path. */
export class FileGlobs {
  private readonly matchers: Minimatch[];
  /** Each pattern's leading folders before its first wildcard (`.yarn/releases/*.cjs`: `.yarn`, `releases`), and whether one follows. */
  private readonly literalFolders: { parts: string[]; wild: boolean }[];

  constructor(
    patterns: readonly string[],
    private readonly base: string,
  ) {
    this.matchers = patterns.map((pattern) => {
      const trimmed = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      return new Minimatch(trimmed.includes('/') ? trimmed : `**/${trimmed}`, { dot: true });
    });
    this.literalFolders = patterns.map((pattern) => {
      const parts = pattern.replace(/^\.\//, '').split('/');
      const magic = parts.findIndex((part) => /[*?[\]{}!]/.test(part));
      return magic < 0 ? { parts, wild: false } : { parts: parts.slice(0, magic), wild: true };
    });
  }

  /**
   * Whether a folder may hold a file the patterns match, judged by what they name explicitly: the folder itself
   * (`dist`), or a path through it (`.yarn/releases/*.cjs` opens `.yarn`). A pattern that only reaches in through a
   * wildcard (`*.min.js`) does not open it, so skipped folders such as node_modules stay unwalked.
   */
  mayMatchInside(folder: string): boolean {
    if (this.matches(folder)) return true;
    const relative = this.relativeParts(folder);
    if (relative === undefined) return false;
    return this.literalFolders.some(({ parts, wild }) => {
      // On the way to what the pattern names, or below its literal part when a wildcard goes on from there.
      const shared = Math.min(relative.length, parts.length);
      const along = relative.slice(0, shared).every((part, i) => part === parts[i]);
      return along && parts.length > 0 && (relative.length <= parts.length || wild);
    });
  }

  /** `file`'s path below the base as parts, or undefined when it lies outside. */
  private relativeParts(file: string): string[] | undefined {
    const relative = path.relative(this.base, file).split(path.sep).join('/');
    if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) return undefined;
    return relative.split('/');
  }

  matches(file: string): boolean {
    if (this.matchers.length === 0) return false;
    // A file outside the config's folder is never matched: `../x` would otherwise match `**` patterns.
    const parts = this.relativeParts(file);
    if (parts === undefined) return false;
    for (let end = parts.length; end > 0; end--) {
      const candidate = parts.slice(0, end).join('/');
      if (this.matchers.some((m) => m.match(candidate))) return true;
    }
    return false;
  }
}

/** Decides per file whether it is analysed and at what severity each rule reports in it. */
export class FileRules {
  private readonly ignored: FileGlobs;
  private readonly overrides: { files: FileGlobs; rules: Partial<Record<RuleId, Severity | 'off'>> }[];

  /** The Workspace sets `baseDir` (to the analysis's cwd when no config file anchors the globs). */
  constructor(config: DeadboltConfig) {
    const base = config.baseDir ?? path.resolve();
    this.ignored = new FileGlobs(config.ignore ?? [], base);
    this.overrides = (config.overrides ?? []).map((o) => ({ files: new FileGlobs(o.files, base), rules: o.rules }));
  }

  isIgnored(file: string): boolean {
    return this.ignored.matches(file);
  }

  /** The severity `overrides` give `rule` in `file` (the last matching entry that names the rule wins), else undefined. */
  severityIn(file: string, rule: RuleId): Severity | 'off' | undefined {
    let found: Severity | 'off' | undefined;
    for (const override of this.overrides) {
      const severity = override.rules[rule];
      if (severity !== undefined && override.files.matches(file)) found = severity;
    }
    return found;
  }

  /** Whether some override turns `rule` on somewhere, so a rule that is off by default still has to run. */
  enablesSomewhere(rule: RuleId): boolean {
    return this.overrides.some((o) => o.rules[rule] !== undefined && o.rules[rule] !== 'off');
  }
}
