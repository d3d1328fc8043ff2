/**
 * Proves the fixes the engine offers on one program (a folder of fixtures, or a repository's checkout) under one
 * compiler setting: each fix is applied alone and must leave the files it changes with no type error they did not
 * have (checked by the `typescript` package's own language service, not by the engine's gate), the finding gone,
 * nothing reported that was not before, no `await await`, and every comment of the changed files still there unless
 * the code it ended went with the fix. Tallies what it
 * saw, per rule, for the tables of docs/rules/fixes.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { applyEdits, Workspace, type Finding, type Fix, type RuleId } from '../../src/engine/index.js';
import { loadConfig } from '../../src/engine/config.js';
import { discoverFiles } from '../../src/engine/files.js';
import { comparableError } from '../../src/engine/fix-gate.js';


/** A `lib`/`target`/`module` combination a project may compile under, as tsconfig `compilerOptions`. */
export interface CompilerSetting {
  name: string;
  compilerOptions: Record<string, unknown>;
}

/** The three settings fixes are proven under: an older CommonJS project, a Node ESM one, a bundled one. */
export const SETTINGS: readonly CompilerSetting[] = [
  { name: 'ES2020/CommonJS', compilerOptions: { target: 'ES2020', module: 'CommonJS', moduleResolution: 'node10', lib: ['ES2020'] } },
  { name: 'ES2023/NodeNext', compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'] } },
  { name: 'ESNext/bundler', compilerOptions: { target: 'ESNext', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ESNext'] } },
];

export interface Tally {
  findings: number;
  /** Findings offered at least one fix (a suppression does not count). */
  withFix: number;
  fixes: number;
  safe: number;
  proven: number;
}

export function emptyTally(): Tally {
  return { findings: 0, withFix: 0, fixes: 0, safe: 0, proven: 0 };
}

export function addTally(into: Tally, from: Tally): void {
  into.findings += from.findings;
  into.withFix += from.withFix;
  into.fixes += from.fixes;
  into.safe += from.safe;
  into.proven += from.proven;
}

export interface ProgramProof {
  byRule: Map<RuleId, Tally>;
  /** One line per fix that failed its proof. */
  failures: string[];
  /** Findings offered no fix, as `file:line rule`. */
  unfixed: string[];
  /** The findings looked at, with the fixes offered (those the engine's gate let through). */
  findings: Finding[];
  /** Fixes of those findings the rules proposed and the engine's type-check gate refused. */
  refused: number;
}

/**
 * Type errors of files as the `typescript` package reports them, through a language service over overridable texts.
 * Its program holds only the files asked about (and what they import), so a repository of thousands of files costs
 * what those few reach; before and after a fix the program is the same but for the fix.
 */
export class TypeCheck {
  private readonly texts = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  private roots: string[] = [];
  private readonly service: ts.LanguageService;

  constructor(options: ts.CompilerOptions, cwd: string) {
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => this.roots,
      getScriptVersion: (file) => String(this.versions.get(path.resolve(file)) ?? 0),
      getScriptSnapshot: (file) => {
        const text = this.texts.get(path.resolve(file)) ?? ts.sys.readFile(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** A tsconfig's options, as the compiler reads them. */
  static optionsOf(tsconfig: string): ts.CompilerOptions {
    return ts.parseJsonConfigFileContent(ts.readConfigFile(tsconfig, ts.sys.readFile).config, ts.sys, path.dirname(tsconfig)).options;
  }

  set(file: string, text: string | undefined): void {
    if (text === undefined) this.texts.delete(file);
    else this.texts.set(file, text);
    this.versions.set(file, (this.versions.get(file) ?? 0) + 1);
  }

  /**
   * Error diagnostics of one file as `TSnnnn message` (positions left out: a fix moves code), and the packages its
   * unresolved imports name (`node` for Node's built-ins), since a checkout without node_modules resolves none.
   */
  errors(file: string): { errors: { text: string; missing: string | undefined }[]; unresolved: Set<string> } {
    if (!this.roots.includes(file)) this.roots = [...this.roots, file];
    const diagnostics = [...this.service.getSyntacticDiagnostics(file), ...this.service.getSemanticDiagnostics(file)].filter((d) => d.category === ts.DiagnosticCategory.Error);
    const errors = diagnostics.map((d) => {
      // As the engine's gate compares them: an import error worded with or without "Did you mean './x.js'?" is one.
      const { code, message } = comparableError(d.code, ts.flattenDiagnosticMessageText(d.messageText, ' '));
      return { text: `TS${code} ${message}`, missing: missingPackage(d) };
    });
    return { errors, unresolved: new Set(errors.map((e) => e.missing).filter((m) => m !== undefined)) };
  }
}

/** A file's errors as `TypeCheck.errors` gives them, counted: what `addedErrors` compares a changed text's with. */
export function errorCounts(errors: ReturnType<TypeCheck['errors']>): { counts: Map<string, number>; unresolved: Set<string> } {
  return { counts: counts(errors.errors.map((e) => e.text)), unresolved: errors.unresolved };
}

/**
 * The errors `after` has that `before` did not (by code and message, so errors that only moved do not count). An
 * import of a package the file already fails to resolve here (no node_modules) resolves where it is installed.
 */
export function addedErrors(before: { counts: Map<string, number>; unresolved: Set<string> }, after: ReturnType<TypeCheck['errors']>): string[] {
  const seen = new Map<string, number>();
  const added: string[] = [];
  for (const error of after.errors) {
    seen.set(error.text, (seen.get(error.text) ?? 0) + 1);
    if (seen.get(error.text)! <= (before.counts.get(error.text) ?? 0)) continue;
    if (error.missing !== undefined && before.unresolved.has(error.missing)) continue;
    added.push(error.text);
  }
  return added;
}

/** "Cannot find module" errors and the package they name, as the engine's gate reads them. */
const MISSING_MODULE = new Set([2307, 2792, 2580, 2591, 7016]);
function missingPackage(d: ts.Diagnostic): string | undefined {
  if (!MISSING_MODULE.has(d.code) || d.file === undefined || d.start === undefined) return undefined;
  const specifier = d.file.text.slice(d.start, d.start + (d.length ?? 0)).replace(/^['"`]|['"`]$/g, '');
  if (specifier.startsWith('.')) return undefined;
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return 'node';
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
}

/** A finding as re-analysis can recognise it after lines moved: rule, file and message with numbers blanked. */
function keyOf(finding: Finding): string {
  return `${finding.rule}\0${finding.span.file}\0${finding.message.replace(/\d+/g, '#')}`;
}

function counts(keys: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
}

/** Comments of a text, by the scanner (so `//` inside strings is no comment). */
function commentsOf(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const comments: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) comments.push(scanner.getTokenText());
  }
  return comments;
}

/**
 * Comments of `before` that `after` lost. An end-of-line comment may go with the code it ends, when the fix removed
 * that code (a release it drops); a comment whose code the fix re-wrote somewhere (`written`: its new texts), or a
 * comment on a line of its own, must stay.
 */
function lostComments(before: string, after: string, written: readonly string[]): string[] {
  const left = counts(commentsOf(after));
  const lost: string[] = [];
  for (const comment of commentsOf(before)) {
    const n = left.get(comment) ?? 0;
    if (n > 0) {
      left.set(comment, n - 1);
      continue;
    }
    const head = comment.split('\n')[0]!;
    const line = before.split('\n').find((l) => l.includes(head)) ?? '';
    const code = line.slice(0, line.indexOf(head)).trim();
    if (code === '' || written.some((text) => text.includes(code))) lost.push(comment);
  }
  return lost;
}

/**
 * Analyses `folder` as one program compiled under `setting` (a tsconfig written to a temporary folder names the
 * folder's files), and proves every fix offered there. `rules` limits the findings looked at (a rule fixture folder's
 * own rule); the folder's deadbolt.config.json is honoured.
 */
export function proveProgram(folder: string, setting: CompilerSetting, rules?: readonly RuleId[]): ProgramProof {
  const files = discoverFiles(folder, ['.']);
  const scratch = mkdtempSync(path.join(tmpdir(), 'deadbolt-fixes-'));
  try {
    const tsconfig = path.join(scratch, 'tsconfig.json');
    const compilerOptions = { ...setting.compilerOptions, strict: true, skipLibCheck: true, noEmit: true, allowJs: true, types: ['node'] };
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files }, null, 2));
    const workspace = new Workspace({ cwd: folder, tsconfig, config: loadConfig({ cwd: folder }).config });
    return proveWorkspace(workspace, new TypeCheck(TypeCheck.optionsOf(tsconfig), folder), { root: folder, label: setting.name, rules });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Proves every fix a Workspace offers (the fixes its type-check gate let through) on its files as they are on disk.
 * With `write`, each fix is also written to the files (and put back after), for a scratch copy that must see it.
 */
export function proveWorkspace(workspace: Workspace, checker: TypeCheck, options: { root: string; label: string; rules?: readonly RuleId[]; write?: boolean }): ProgramProof {
  const before = workspace.analyze().findings;
  const offered = workspace.checkFixes(before);
  const original = new Map<string, string>();
  const beforeErrors = new Map<string, { counts: Map<string, number>; unresolved: Set<string> }>();
  const context: ProofContext = {
    workspace,
    checker,
    before,
    write: options.write === true,
    originalOf: (file) => {
      let text = original.get(file);
      if (text === undefined) original.set(file, (text = readFileSync(file, 'utf8')));
      return text;
    },
    errorsBefore: (file) => {
      let known = beforeErrors.get(file);
      if (known === undefined) {
        beforeErrors.set(file, (known = errorCounts(checker.errors(file))));
      }
      return known;
    },
  };
  const proof: ProgramProof = { byRule: new Map(), failures: [], unfixed: [], findings: [], refused: 0 };
  for (const [i, finding] of offered.entries()) {
    if (options.rules !== undefined && !options.rules.includes(finding.rule)) continue;
    proof.refused += before[i]!.fixes.length - finding.fixes.length;
    proof.findings.push(finding);
    const tally = proof.byRule.get(finding.rule) ?? emptyTally();
    proof.byRule.set(finding.rule, tally);
    tally.findings++;
    const where = `${path.relative(options.root, finding.span.file)}:${finding.span.line} ${finding.rule}`;
    if (finding.fixes.length > 0) tally.withFix++;
    else proof.unfixed.push(where);
    for (const fix of finding.fixes) {
      tally.fixes++;
      if (fix.safety === 'safe') tally.safe++;
      const problems = proveFix(finding, fix, context);
      if (problems.length === 0) tally.proven++;
      else proof.failures.push(`${options.label} ${where} "${fix.title}":\n    ${problems.join('\n    ')}`);
    }
  }
  return proof;
}

interface ProofContext {
  workspace: Workspace;
  checker: TypeCheck;
  before: readonly Finding[];
  write: boolean;
  originalOf(file: string): string;
  errorsBefore(file: string): { counts: Map<string, number>; unresolved: Set<string> };
}

/** Applies one fix, checks it, and puts the original texts back. Returns what failed, or an empty list. */
function proveFix(finding: Finding, fix: Fix, context: ProofContext): string[] {
  const { workspace, checker } = context;
  const byFile = new Map<string, Fix['edits']>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const texts = new Map([...byFile].map(([file, edits]) => [file, applyEdits(context.originalOf(file), edits)]));
  const problems: string[] = [];
  try {
    for (const [file, text] of texts) {
      const before = context.errorsBefore(file);
      if (context.write) writeFileSync(file, text);
      checker.set(file, text);
      for (const error of addedErrors(before, checker.errors(file))) problems.push(`adds a type error in ${path.basename(file)}: ${error}`);
      // `await await x` type-checks, and is what a twin written over an awaited call looks like.
      const doubled = (t: string): number => t.match(/\bawait\s+await\b/g)?.length ?? 0;
      if (doubled(text) > doubled(context.originalOf(file))) problems.push(`awaits twice in ${path.basename(file)}`);
      const written = byFile.get(file)!.map((e) => e.newText);
      for (const comment of lostComments(context.originalOf(file), text, written)) problems.push(`drops a comment in ${path.basename(file)}: ${comment}`);
      workspace.setFile(file, text);
    }
    const afterFix = counts(workspace.analyze().findings.map(keyOf));
    const beforeFix = counts(context.before.map(keyOf));
    const fixed = keyOf(finding);
    if ((afterFix.get(fixed) ?? 0) >= (beforeFix.get(fixed) ?? 0)) problems.push('the finding is still reported');
    for (const [key, n] of afterFix) {
      if (n > (beforeFix.get(key) ?? 0)) problems.push(`reports something new: ${key.split('\0')[0]} ${key.split('\0')[2]}`);
    }
  } finally {
    for (const file of texts.keys()) {
      if (context.write) writeFileSync(file, context.originalOf(file));
      checker.set(file, undefined);
      workspace.setFile(file, context.originalOf(file));
    }
  }
  return problems;
}

const percent = (n: number, d: number): string => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

/** One markdown row: findings, with a fix, fixes, safe, proven. */
export function tallyRow(name: string, t: Tally): string {
  return `| ${name} | ${t.findings} | ${t.withFix} (${percent(t.withFix, t.findings)}) | ${t.fixes} | ${t.safe} | ${percent(t.proven, t.fixes)} |`;
}

/** Replaces the text between a begin and an end marker of a doc with `table`, or checks it is already there. */
export function checkGeneratedSection(file: string, name: string, table: string): string | undefined {
  const begin = `<!-- ${name}:begin (generated by server/test/engine/fixes-*.test.ts) -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = readFileSync(file, 'utf8');
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) return `${path.basename(file)} keeps the table between ${begin} and ${end}`;
  if (process.env.DEADBOLT_UPDATE_DOCS === '1') {
    writeFileSync(file, `${doc.slice(0, from + begin.length)}\n${table}\n${doc.slice(to)}`);
    return undefined;
  }
  return doc.slice(from + begin.length, to).trim() === table ? undefined : `${path.basename(file)} is stale: run this test with DEADBOLT_UPDATE_DOCS=1`;
}
