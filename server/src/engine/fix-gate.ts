/**
 * The gate every fix passes before it is offered: its edits are applied in memory on top of the analysed program,
 * and TypeScript reports the changed files' syntactic and semantic diagnostics under the project's own compiler
 * options. A fix that adds an error to any file it changes is refused. The analysis Project is never modified: the
 * checked program shares its parsed and bound files and differs only in the edited ones.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ts, type Project } from 'ts-morph';
import { applyEdits } from './text-edits.js';
import type { TextEdit } from './types.js';

/** What the gate said about one set of edits. */
export interface GateVerdict {
  ok: boolean;
  /** The errors the edits add, as `file:line: TSnnnn message` (empty when `ok`). */
  added: string[];
}

/**
 * A file's errors as counts by code and message, so errors that only moved with the edit are not "new"; and the
 * packages its imports name that do not resolve here (a checkout without `node_modules`, Node's types missing).
 */
interface FileErrors {
  counts: Map<string, number>;
  unresolved: Set<string>;
}

/** "Cannot find module" and its variants (Node's types missing, a resolution mode that cannot see it). */
const MISSING_MODULE = new Set([2307, 2792, 2580, 2591, 7016]);

export class FixGate {
  private base: ts.Program | undefined;
  /** The errors of each file in `base`, computed once per base program. */
  private readonly before = new Map<string, FileErrors>();
  /** Verdicts by the edits' text, valid for one base program (a fix offered again costs nothing). */
  private readonly verdicts = new Map<string, GateVerdict>();
  /**
   * Module resolutions of `base`'s files, shared by every program the gate builds on it. TypeScript reuses an old
   * program's resolution only when it found the module: without it, each program would resolve every import that
   * does not resolve (a clone without `node_modules`: most package imports) afresh, probing each ancestor folder.
   */
  private resolutions: ts.ModuleResolutionCache | undefined;
  /**
   * How many programs the gate built, the time they took, and how many times they asked the file system whether a
   * file or folder exists (resolving modules), for benchmarks and tests.
   */
  readonly stats = { checks: 0, ms: 0, lookups: 0 };
  /** Asks the checker to stop while a check runs (a newer edit made it moot); see `checkAll`. */
  private token: ts.CancellationToken | undefined;

  constructor(private readonly project: Project) {}

  /** Drops what was computed against an earlier program: call after the Project's files change. */
  reset(): void {
    this.base = undefined;
    this.resolutions = undefined;
    this.before.clear();
    this.verdicts.clear();
  }

  /** The analysed text of a file, or undefined when the program does not hold it. */
  textOf(file: string): string | undefined {
    return this.program().getSourceFile(file)?.text;
  }

  /**
   * Whether applying `edits` (offsets into the analysed texts) leaves every file they change with no error it did
   * not have before. Edits of a file the program does not hold cannot be checked, so they are refused.
   */
  check(edits: readonly TextEdit[]): GateVerdict {
    return this.checkAll([edits])[0]!;
  }

  /**
   * The verdicts on several independent sets of edits (the fixes of many findings). Sets that change disjoint files
   * are checked together in one program, since a checker costs the same for one changed file or many; a file that
   * gains an error there is checked again with its own fix alone, so a verdict never depends on another fix.
   */
  checkAll(sets: readonly (readonly TextEdit[])[], cancelled: () => boolean = () => false): GateVerdict[] {
    this.token = cancellationToken(cancelled);
    try {
      return this.checkAllNow(sets);
    } finally {
      this.token = undefined;
    }
  }

  private checkAllNow(sets: readonly (readonly TextEdit[])[]): GateVerdict[] {
    const keys = sets.map((edits) => JSON.stringify(edits.map((e) => [e.file, e.start, e.end, e.newText])));
    this.program();
    let pending = [...new Set(keys.filter((key) => !this.verdicts.has(key)))];
    const editsOf = new Map(keys.map((key, i) => [key, sets[i]!]));
    while (pending.length > 0) {
      this.token?.throwIfCancellationRequested();
      const round: string[] = [];
      const taken = new Set<string>();
      for (const key of pending) {
        const files = new Set(editsOf.get(key)!.map((e) => e.file));
        if ([...files].some((f) => taken.has(f))) continue;
        round.push(key);
        for (const f of files) taken.add(f);
      }
      pending = pending.filter((key) => !round.includes(key));
      if (round.length === 1) {
        this.verdicts.set(round[0]!, this.checkNow(editsOf.get(round[0]!)!).verdict);
        continue;
      }
      const together = this.checkNow(round.flatMap((key) => editsOf.get(key)!));
      for (const key of round) {
        const files = new Set(editsOf.get(key)!.map((e) => e.file));
        const clean = together.unchecked === undefined && [...files].every((f) => (together.addedByFile.get(f) ?? []).length === 0);
        this.verdicts.set(key, clean ? { ok: true, added: [] } : this.checkNow(editsOf.get(key)!).verdict);
      }
    }
    return keys.map((key) => this.verdicts.get(key)!);
  }

  private checkNow(edits: readonly TextEdit[]): { verdict: GateVerdict; addedByFile: Map<string, string[]>; unchecked?: string } {
    const started = performance.now();
    const base = this.program();
    const texts = new Map<string, string>();
    for (const [file, fileEdits] of groupByFile(edits)) {
      const source = base.getSourceFile(file);
      if (source === undefined) {
        const why = `${file}: not part of the analysed program`;
        return { verdict: { ok: false, added: [why] }, addedByFile: new Map(), unchecked: why };
      }
      texts.set(source.fileName, applyEdits(source.text, fileEdits));
    }
    const resolutions = (host: ts.CompilerHost): ts.ModuleResolutionCache =>
      (this.resolutions ??= ts.createModuleResolutionCache(host.getCurrentDirectory(), (file) => host.getCanonicalFileName(file), base.getCompilerOptions()));
    const next = overlayProgram(base, texts, resolutions, this.stats);
    const added: string[] = [];
    const addedByFile = new Map<string, string[]>();
    for (const fileName of texts.keys()) {
      const inFile: string[] = [];
      addedByFile.set(fileName, inFile);
      const before = this.errorsOf(base, fileName);
      const after = errorDiagnostics(next, next.getSourceFile(fileName)!, this.token);
      const seen = new Map<string, number>();
      for (const diagnostic of after) {
        const key = keyOf(diagnostic);
        const count = (seen.get(key) ?? 0) + 1;
        seen.set(key, count);
        if (count <= (before.counts.get(key) ?? 0)) continue;
        // A new import of a package the file already imports without resolving it (`node:fs/promises` beside an
        // unresolved `node:fs`) fails here only as the rest does: where the package is installed, it resolves.
        const missing = missingPackage(diagnostic);
        if (missing !== undefined && before.unresolved.has(missing)) continue;
        added.push(describe(diagnostic));
        inFile.push(describe(diagnostic));
      }
    }
    this.stats.checks += 1;
    this.stats.ms += performance.now() - started;
    return { verdict: { ok: added.length === 0, added }, addedByFile };
  }

  private program(): ts.Program {
    const current = this.project.getProgram().compilerObject;
    if (current !== this.base) {
      this.base = current;
      this.resolutions = undefined;
      this.before.clear();
      this.verdicts.clear();
    }
    return current;
  }

  private errorsOf(program: ts.Program, fileName: string): FileErrors {
    let errors = this.before.get(fileName);
    if (errors === undefined) {
      errors = { counts: new Map(), unresolved: new Set() };
      for (const diagnostic of errorDiagnostics(program, program.getSourceFile(fileName)!)) {
        const key = keyOf(diagnostic);
        errors.counts.set(key, (errors.counts.get(key) ?? 0) + 1);
        const missing = missingPackage(diagnostic);
        if (missing !== undefined) errors.unresolved.add(missing);
      }
      this.before.set(fileName, errors);
    }
    return errors;
  }
}

function groupByFile(edits: readonly TextEdit[]): Map<string, TextEdit[]> {
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  return byFile;
}

/**
 * A program like `base` with some files' texts replaced. Every other file is `base`'s own parsed (and bound) source
 * file, so TypeScript reuses the program's structure and only the checker's work is new. Modules are resolved as
 * TypeScript resolves them by default, through the cache `resolutionsFor` gives, which outlives this program (see
 * FixGate); `counts` gains each file-system probe the resolution makes.
 */
function overlayProgram(
  base: ts.Program,
  texts: ReadonlyMap<string, string>,
  resolutionsFor: (host: ts.CompilerHost) => ts.ModuleResolutionCache,
  counts: { lookups: number },
): ts.Program {
  const options = base.getCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  const resolutions = resolutionsFor(host);
  const read = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const directoryExists = host.directoryExists?.bind(host);
  host.fileExists = (file) => {
    counts.lookups += 1;
    return fileExists(file);
  };
  if (directoryExists !== undefined) {
    host.directoryExists = (folder) => {
      counts.lookups += 1;
      return directoryExists(folder);
    };
  }
  host.getModuleResolutionCache = () => resolutions;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, redirected?.commandLine.options ?? compilerOptions);
      return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, resolutions, redirected, mode);
    });
  // ts-morph serves the lib files from its own folder: name the same ones, so they are the base program's.
  const lib = base.getSourceFiles().find((f) => base.isSourceFileDefaultLibrary(f));
  if (lib !== undefined) {
    const folder = path.dirname(lib.fileName);
    host.getDefaultLibLocation = () => folder;
    host.getDefaultLibFileName = (o) => path.join(folder, ts.getDefaultLibFileName(o));
  }
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = texts.get(fileName) ?? texts.get(path.resolve(fileName));
    if (text !== undefined) {
      // The module format the analysed program gave the file (ts-morph leaves it unset, so a `"type": "module"`
      // package's files are read as CommonJS there): an edit does not change it, and read differently here it
      // would add errors the edit did not cause (TS2835 on every extensionless relative import).
      const analysed = base.getSourceFile(fileName) ?? base.getSourceFile(path.resolve(fileName));
      const version = analysed !== undefined && typeof languageVersion === 'object' ? { ...languageVersion, impliedNodeFormat: analysed.impliedNodeFormat } : languageVersion;
      return ts.createSourceFile(fileName, text, version, false);
    }
    return base.getSourceFile(fileName) ?? read(fileName, languageVersion, onError, shouldCreate);
  };
  return ts.createProgram({ rootNames: base.getRootFileNames(), options, host, oldProgram: base, projectReferences: base.getProjectReferences() });
}

/**
 * A file's own errors. Errors without a position ("Cannot find global type 'Disposable'") are the program's, reported
 * with whichever file the checker happens to check first: they say nothing about an edit. A JavaScript file the
 * project does not type-check (no `checkJs`, no `// @ts-check`) is held to its syntax: checking it costs as much as a
 * TypeScript file for the few spelling errors TypeScript reports there, and its types are whatever JavaScript allows.
 */
function errorDiagnostics(program: ts.Program, file: ts.SourceFile, token?: ts.CancellationToken): ts.Diagnostic[] {
  const options = program.getCompilerOptions();
  const checked = !isJavaScript(file) || options.checkJs === true || /^\s*\/\/\s*@ts-check\b/m.test(file.text.slice(0, 2000));
  const syntactic = program.getSyntacticDiagnostics(file, token);
  const diagnostics = checked ? [...syntactic, ...program.getSemanticDiagnostics(file, token)] : syntactic;
  return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error && d.file !== undefined && d.start !== undefined);
}

/** A compiler cancellation token over a question (the language server asks whether a newer edit arrived). */
function cancellationToken(cancelled: () => boolean): ts.CancellationToken {
  return {
    isCancellationRequested: cancelled,
    throwIfCancellationRequested() {
      if (cancelled()) throw new ts.OperationCanceledException();
    },
  };
}

/** Whether an error is the gate giving up because its caller no longer needs the answer. */
export function isCancellation(error: unknown): boolean {
  return error instanceof ts.OperationCanceledException;
}

function isJavaScript(file: ts.SourceFile): boolean {
  return /\.(m|c)?jsx?$/.test(file.fileName);
}

/** The package a "cannot find module" error is about: `node` for Node's built-ins, else the package name. */
function missingPackage(diagnostic: ts.Diagnostic): string | undefined {
  if (!MISSING_MODULE.has(diagnostic.code) || diagnostic.file === undefined || diagnostic.start === undefined) return undefined;
  const specifier = diagnostic.file.text.slice(diagnostic.start, diagnostic.start + (diagnostic.length ?? 0)).replace(/^['"`]|['"`]$/g, '');
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]!)) return 'node';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const NODE_BUILTINS = new Set(builtinModules);

/**
 * An error as the gate compares them, by code and message. A checker offers "Did you mean ...?" for only its first
 * few unknown names, so the analysed program (which checked other files first) and the edited one may word one
 * error two ways: the suggesting codes count as their plain twins, and the suggestion is left out.
 */
function keyOf(diagnostic: ts.Diagnostic): string {
  const { code, message } = comparableError(diagnostic.code, ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '));
  return `${code}\0${message}`;
}

/**
 * An error's code and message as two checkers compare them: a suggesting code as its plain twin, without the
 * suggestion, and an error worded two ways by one sentence they share (the corpus proof reads its checker's errors
 * so too).
 */
export function comparableError(code: number, message: string): { code: number; message: string } {
  const plain = WITHOUT_SUGGESTION.get(code) ?? code;
  const text = FIRST_SENTENCE.has(plain) ? message.slice(0, message.indexOf('. ') + 1 || undefined) : message.replace(/\s*Did you mean .*\?$/, '');
  return { code: plain, message: text };
}

/** Errors that carry a suggestion, and the code of the same error without one. */
const WITHOUT_SUGGESTION = new Map([
  [2552, 2304], // Cannot find name 'x'. Did you mean 'y'?
  [2551, 2339], // Property 'x' does not exist on type 'T'. Did you mean 'y'?
  [2835, 2834], // Relative import paths need explicit file extensions ... Did you mean './x.js'?
]);

/** Errors whose second sentence is the suggestion or a hint worded apart from it ("Consider adding an extension"). */
const FIRST_SENTENCE = new Set([2834]);

function describe(diagnostic: ts.Diagnostic): string {
  const file = diagnostic.file;
  const where = file === undefined || diagnostic.start === undefined ? '' : `${path.basename(file.fileName)}:${file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}: `;
  return `${where}TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}
