/**
 * Fixes for `blocking-in-async`: replace a blocking call with its awaited async twin (`m.lock()` ->
 * `await m.lockAsync()`, a configured class's declared twin, `readFileSync(p)` -> `await readFile(p)` plus the
 * import, `existsSync(p)` -> `await access(p).then(() => true, () => false)`, `Atomics.wait(...)` ->
 * `await Atomics.waitAsync(...).value` where the project's lib declares it). Offered only where `await` is legal:
 * directly in the coroutine's body. A call already awaited keeps its one `await`.
 */
import { Node, SyntaxKind, ts, type CallExpression, type PropertyAccessExpression, type SourceFile } from 'ts-morph';
import { requireSpecifier, type BlockingCall } from '../detect/blocking-calls.js';
import { RUNTIME_MODULE } from '../model/runtime.js';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import { findNodes } from '../detect/compiler-walk.js';
import { lockApiOfExpression } from './lock-api.js';
import { hasWaitAsync } from './lib-features.js';
import { opensRaceWindow } from './race-window.js';
import { awaitableOwner } from './for-each-loop.js';
import { lineBreakOf, namedImportOfCallee, namedImportRemoval } from './named-imports.js';

/** fs functions whose `fs/promises` twin takes the same arguments and resolves to what the sync one returns. */
const FS_PROMISE_TWINS = new Set([
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp',
  'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink',
  'truncate', 'unlink', 'utimes', 'writeFile',
]);

/** The fix for one blocking call inside `coroutine`, or undefined when there is no safe rewrite. */
export function asyncTwinFix(call: CallExpression, blocking: BlockingCall, coroutine: Node, config: DeadboltConfig): Fix | undefined {
  // `await` is only legal in the coroutine's own body, not in a sync callback nested inside it, unless that callback
  // is a `forEach` body that can become a loop of the coroutine's.
  const { owner, edits: loops } = awaitableOwner(call);
  if (owner !== coroutine) return undefined;
  // The sync call let no other task in between the coroutine's check of shared state and its write; the await would.
  if (opensRaceWindow(call)) return undefined;
  const fix = twinOfCall(call, blocking, config);
  if (fix === undefined || loops.length === 0) return fix;
  return { ...fix, title: `${fix.title}${FOR_EACH_TITLE}`, edits: [...loops, ...fix.edits] };
}

/** How a fix's title says that it made `forEach` callbacks loops (fixes/for-each-loop.ts). */
export const FOR_EACH_TITLE = ', turning forEach into for...of';

/** The twin fix of `call`, where an `await` in place of it is legal. */
function twinOfCall(call: CallExpression, blocking: BlockingCall, config: DeadboltConfig): Fix | undefined {
  const file = call.getSourceFile();
  const callee = call.getExpression();
  const args = file.getFullText().slice(callee.getEnd(), call.getEnd());

  switch (blocking.kind) {
    case 'atomics-wait':
      // `Atomics.waitAsync` is ES2024: a project whose lib stops before it has no such method to call.
      if (!hasWaitAsync(call)) return undefined;
      return replaceCall(call, 'Use await Atomics.waitAsync(...).value', `Atomics.waitAsync${args}.value`);
    case 'runtime': {
      if (!Node.isPropertyAccessExpression(callee)) return undefined;
      return replaceCall(call, `Use await ${blocking.twin}()`, `${receiverText(callee)}${blocking.twin}${args}`);
    }
    case 'runtime-function': {
      // `runtime.lockAll(...)` through a namespace import: the twin is on the same namespace.
      if (Node.isPropertyAccessExpression(callee)) {
        return replaceCall(call, `Use await ${blocking.twin}()`, `${receiverText(callee)}${blocking.twin}${args}`);
      }
      const renamed = renameLastUse(call, blocking.twin);
      if (renamed !== undefined) return replaceCall(call, `Use await ${blocking.twin}()`, `${blocking.twin}${args}`, [renamed]);
      const imported = ensureNamedImport(file, [RUNTIME_MODULE], RUNTIME_MODULE, blocking.twin);
      return replaceCall(call, `Use await ${blocking.twin}()`, `${imported.local}${args}`, withImportCleanup(call, imported.edits));
    }
    case 'node-sync': {
      if (blocking.module === 'zlib') return zlibTwinFix(call, blocking.name, args);
      if (blocking.module !== 'fs') return undefined;
      // fs/promises has no `exists`: `access(p)` rejects exactly where `existsSync(p)` answers false (it checks
      // the same visibility, F_OK, and swallows every error), so settling it to a boolean keeps the answer.
      const exists = blocking.name === 'existsSync';
      const twin = exists ? 'access' : blocking.name.slice(0, -'Sync'.length);
      if (!FS_PROMISE_TWINS.has(twin)) return undefined;
      const title = exists ? 'Use await access() from fs/promises, settled to a boolean' : `Use await ${twin}() from fs/promises`;
      const settle = exists ? '.then(() => true, () => false)' : '';
      if (Node.isPropertyAccessExpression(callee)) {
        // `fs.readFileSync(p)` through a namespace or default import: `fs.promises` needs no new import.
        return replaceCall(call, title, `${callee.getExpression().getText()}.promises.${twin}${args}${settle}`);
      }
      const imported = ensureNamedImport(file, ['node:fs/promises', 'fs/promises'], 'node:fs/promises', twin);
      return replaceCall(call, title, `${imported.local}${args}${settle}`, withImportCleanup(call, imported.edits));
    }
    case 'configured': {
      // A configured lock class: the async twin its model declares (`lock` -> `lockAsync`), never a guessed name.
      if (!Node.isPropertyAccessExpression(callee)) return undefined;
      const twin = lockApiOfExpression(callee.getExpression(), config)?.asyncTwins[callee.getName()];
      if (twin === undefined) return undefined;
      return replaceCall(call, `Use await ${twin}()`, `${receiverText(callee)}${twin}${args}`);
    }
    default:
      return undefined;
  }
}

/**
 * `gzipSync(b)` -> `await promisify(gzip)(b)`: zlib has no promise API, but each of these sync functions has a
 * callback twin that takes the same arguments and calls back with what the sync one returns (its error as the
 * rejection), which Node documents promisifying. The callback twins run on the thread pool, the point of the fix.
 */
function zlibTwinFix(call: CallExpression, name: string, args: string): Fix | undefined {
  const twin = zlibCallbackTwin(name);
  if (twin === undefined) return undefined;
  const file = call.getSourceFile();
  const callee = call.getExpression();
  const promisify = ensureNamedImport(file, ['node:util', 'util'], 'node:util', 'promisify');
  // A local binding of the same name would capture the imported one at this call.
  if (boundLocally(call, promisify.local)) return undefined;
  const title = `Use await promisify(${twin})() from node:util`;
  if (Node.isPropertyAccessExpression(callee)) {
    // `zlib.unzipSync(b)` through a namespace, default or `import = require` binding: the twin is on the same object.
    return replaceCall(call, title, `${promisify.local}(${callee.getExpression().getText()}.${twin})${args}`, promisify.edits);
  }
  const found = namedImportOfCallee(call);
  const fromZlib = found !== undefined && ZLIB_MODULES.includes(found.module);
  // The fixed call was the sync function's last use: its specifier becomes the twin's, in place.
  const renamed = fromZlib && !boundLocally(call, twin) ? renameLastUse(call, twin) : undefined;
  if (renamed !== undefined) return replaceCall(call, title, `${promisify.local}(${twin})${args}`, [...promisify.edits, renamed]);
  const imported = ensureNamedImport(file, ZLIB_MODULES, 'node:zlib', twin);
  if (boundLocally(call, imported.local)) return undefined;
  return replaceCall(call, title, `${promisify.local}(${imported.local})${args}`, withImportCleanup(call, [...promisify.edits, ...imported.edits]));
}

const ZLIB_MODULES = ['node:zlib', 'zlib'];

/** zlib's one-shot functions: `<name>Sync` blocks, `<name>(buffer, [options,] callback)` is its twin. */
const ZLIB_CALLBACK_TWINS = new Set([
  'brotliCompress', 'brotliDecompress', 'deflate', 'deflateRaw', 'gunzip', 'gzip', 'inflate', 'inflateRaw', 'unzip',
  'zstdCompress', 'zstdDecompress',
]);

/** `gzip` for `gzipSync`: the callback twin of one of zlib's one-shot sync functions. */
export function zlibCallbackTwin(name: string): string | undefined {
  const twin = name.slice(0, -'Sync'.length);
  return ZLIB_CALLBACK_TWINS.has(twin) ? twin : undefined;
}

/** Whether `name` at `call` names a binding of a function or block around it, which an import of that name would not reach. */
function boundLocally(call: CallExpression, name: string): boolean {
  const checker = call.getProject().getTypeChecker().compilerObject;
  const symbol = checker.getSymbolsInScope(call.compilerNode, ts.SymbolFlags.Value | ts.SymbolFlags.Alias).find((s) => s.name === name);
  return (symbol?.declarations ?? []).some((d) => {
    // A scope between the declaration and the file makes it local: a function (its parameters too), a block, a class.
    for (let scope = d.parent; !ts.isSourceFile(scope); scope = scope.parent) {
      if (ts.isFunctionLike(scope) || ts.isBlock(scope) || ts.isClassLike(scope) || ts.isCatchClause(scope) || ts.isIterationStatement(scope, false)) return true;
    }
    return false;
  });
}

/** `q.` or `this.q?.` of `q.get`: the receiver with its own dot, so optional chaining survives the rewrite. */
function receiverText(callee: PropertyAccessExpression): string {
  return callee.getSourceFile().getFullText().slice(callee.getStart(), callee.getNameNode().getStart());
}

/**
 * Replaces `call` with `await <awaited>`, parenthesised where a member access or call follows it; a call already
 * awaited (`await m.lock()`, harmless on a sync method) keeps its `await` and only the call changes.
 */
function replaceCall(call: CallExpression, title: string, awaited: string, extra: TextEdit[] = []): Fix {
  return { title, safety: 'safe', preferred: true, edits: [...extra, awaitedCallEdit(call, awaited)] };
}

/** The edit that puts `await <awaited>` where `call` is (see replaceCall). */
export function awaitedCallEdit(call: CallExpression, awaited: string): TextEdit {
  const file = call.getSourceFile().getFilePath();
  const parent = call.getParent();
  if (parent !== undefined && Node.isAwaitExpression(parent)) return { file, start: call.getStart(), end: call.getEnd(), newText: awaited };
  const needsParens =
    parent !== undefined &&
    ((Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent) || Node.isCallExpression(parent) ||
      Node.isNonNullExpression(parent)) &&
      parent.getExpression() === call);
  return { file, start: call.getStart(), end: call.getEnd(), newText: needsParens ? `(await ${awaited})` : `await ${awaited}` };
}

/**
 * The local name under which `name` from one of `modules` is (or, with the returned edits, will be) imported.
 * Reuses an existing import, extends a named import of the module, or adds a declaration after the last import;
 * a clashing local name gets an `Async` alias.
 */
export function ensureNamedImport(file: SourceFile, modules: string[], preferredModule: string, name: string): { local: string; edits: TextEdit[] } {
  const path = file.getFilePath();
  if (isCommonJsScript(file)) return ensureRequired(file, modules, preferredModule, name);
  const imports = file.getImportDeclarations();
  const fromModule = imports.filter((d) => modules.includes(d.getModuleSpecifierValue()));
  for (const declaration of fromModule) {
    const existing = declaration.getNamedImports().find((s) => s.getName() === name);
    if (existing !== undefined) return { local: existing.getAliasNode()?.getText() ?? name, edits: [] };
  }
  const local = topLevelNames(file).has(name) ? `${name}Async` : name;
  const specifierText = local === name ? name : `${name} as ${local}`;

  const extendable = fromModule.find((d) => d.getNamedImports().length > 0 && !d.isTypeOnly());
  if (extendable !== undefined) {
    const last = extendable.getNamedImports().at(-1)!;
    return { local, edits: [{ file: path, start: last.getEnd(), end: last.getEnd(), newText: `, ${specifierText}` }] };
  }
  const quote = imports[0]?.getModuleSpecifier().getText().startsWith('"') ? '"' : "'";
  const statement = `import { ${specifierText} } from ${quote}${preferredModule}${quote};`;
  const newline = file.getFullText().includes('\r\n') ? '\r\n' : '\n';
  const lastImport = imports.at(-1);
  if (lastImport !== undefined) {
    return { local, edits: [{ file: path, start: lastImport.getEnd(), end: lastImport.getEnd(), newText: `${newline}${statement}` }] };
  }
  // No import yet: put it above the first statement, after any leading comment block.
  const first = file.getStatements()[0];
  const at = first === undefined ? 0 : first.getStart();
  return { local, edits: [{ file: path, start: at, end: at, newText: `${statement}${newline}` }] };
}

/** The names a file binds at its top level: imports, functions, classes and variables (each name of a pattern). */
function topLevelNames(file: SourceFile): Set<string> {
  const taken = new Set<string>();
  for (const declaration of file.getImportDeclarations()) {
    for (const specifier of declaration.getNamedImports()) taken.add(specifier.getAliasNode()?.getText() ?? specifier.getName());
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport !== undefined) taken.add(defaultImport.getText());
    const namespace = declaration.getNamespaceImport();
    if (namespace !== undefined) taken.add(namespace.getText());
  }
  for (const statement of file.getStatements()) {
    if ((Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)) && statement.getName() !== undefined) taken.add(statement.getName()!);
    if (Node.isImportEqualsDeclaration(statement)) taken.add(statement.getName());
    if (!Node.isVariableStatement(statement)) continue;
    for (const d of statement.getDeclarations()) {
      const nameNode = d.getNameNode();
      if (Node.isIdentifier(nameNode)) taken.add(nameNode.getText());
      else for (const identifier of nameNode.getDescendantsOfKind(SyntaxKind.Identifier)) taken.add(identifier.getText());
    }
  }
  return taken;
}

/**
 * A JavaScript file that Node runs as CommonJS: a `.cjs` file, or a `.js` one without ES module syntax that
 * requires or exports the CommonJS way. An `import` declaration added there would not parse as CommonJS, so what
 * it needs is required instead.
 */
function isCommonJsScript(file: SourceFile): boolean {
  const path = file.getFilePath();
  if (path.endsWith('.cjs')) return true;
  if (!/\.jsx?$/.test(path)) return false;
  const esm = file.getStatements().some((s) => Node.isImportDeclaration(s) || Node.isExportDeclaration(s) || Node.isExportAssignment(s) ||
    ((Node.isVariableStatement(s) || Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s)) && s.hasExportKeyword()));
  return !esm && /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(file.getFullText());
}

/**
 * ensureNamedImport for a CommonJS script: reuses `const { name } = require(module)` at the top level, else adds one
 * after the last top-level `require` declaration (or after a leading `'use strict'`).
 */
function ensureRequired(file: SourceFile, modules: string[], preferredModule: string, name: string): { local: string; edits: TextEdit[] } {
  const path = file.getFilePath();
  const requireOf = (statement: Node): string | undefined => {
    if (!Node.isVariableStatement(statement)) return undefined;
    const initializer = statement.getDeclarations()[0]?.getInitializer();
    return initializer === undefined ? undefined : requireSpecifier(initializer);
  };
  const statements = file.getStatements();
  const patterns = statements.flatMap((statement) => {
    const module = requireOf(statement);
    if (module === undefined || !modules.includes(module) || !Node.isVariableStatement(statement)) return [];
    const pattern = statement.getDeclarations()[0]!.getNameNode();
    return Node.isObjectBindingPattern(pattern) ? [pattern] : [];
  });
  for (const pattern of patterns) {
    const element = pattern.getElements().find((e) => (e.getPropertyNameNode()?.getText() ?? e.getName()) === name && !e.getDotDotDotToken());
    if (element !== undefined) return { local: element.getName(), edits: [] };
  }
  const local = topLevelNames(file).has(name) ? `${name}Async` : name;
  const binding = local === name ? name : `${name}: ${local}`;
  // `const { readFileSync } = require('fs')` takes the new name beside the others, as a named import would.
  const extendable = patterns.find((p) => p.getElements().length > 0 && !p.getElements().some((e) => e.getDotDotDotToken()));
  if (extendable !== undefined) {
    const last = extendable.getElements().at(-1)!;
    return { local, edits: [{ file: path, start: last.getEnd(), end: last.getEnd(), newText: `, ${binding}` }] };
  }
  const quote = file.getFullText().includes("require('") || !file.getFullText().includes('require("') ? "'" : '"';
  const semicolon = statements.some((s) => requireOf(s) !== undefined && !s.getText().endsWith(';')) ? '' : ';';
  const statement = `const { ${binding} } = require(${quote}${preferredModule}${quote})${semicolon}`;
  const newline = lineBreakOf(file);
  const lastRequire = [...statements].reverse().find((s) => requireOf(s) !== undefined);
  const first = statements[0];
  const strict = first !== undefined && Node.isExpressionStatement(first) && /^['"]use strict['"];?$/.test(first.getText()) ? first : undefined;
  const after = lastRequire ?? strict;
  if (after !== undefined) return { local, edits: [{ file: path, start: after.getEnd(), end: after.getEnd(), newText: `${newline}${statement}` }] };
  const at = first === undefined ? 0 : first.getStart();
  return { local, edits: [{ file: path, start: at, end: at, newText: `${statement}${newline}` }] };
}

/**
 * `lockAll` -> `lockAllAsync` in the import itself when the fixed call was its last use and the twin is neither
 * imported nor taken: one edit instead of adding the twin and removing the old name from the same import.
 */
function renameLastUse(call: CallExpression, twin: string): TextEdit | undefined {
  const found = namedImportOfCallee(call);
  if (found === undefined || !found.lastUse || found.renamed) return undefined;
  const file = call.getSourceFile();
  // `runtime.lockAllAsync` names a property, not a binding, so it does not take the name.
  const taken = findNodes(file, (n) => ts.isIdentifier(n) && n.text === twin && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)).length > 0;
  if (taken) return undefined;
  const name = found.nameNode;
  return { file: file.getFilePath(), start: name.getStart(), end: name.getEnd(), newText: twin };
}

/**
 * The import edits of a fix, plus the removal of the callee's named import when the fix takes away its last use, so
 * `--fix` leaves no unused `readFileSync` behind. While other uses remain, the fix instead rewrites the specifier as
 * itself: fixes of the same import then overlap, so `--fix` lands one per pass and the last one sees it is last.
 */
function withImportCleanup(call: CallExpression, importEdits: TextEdit[]): TextEdit[] {
  const found = namedImportOfCallee(call);
  if (found === undefined) return importEdits;
  const { binding, lastUse } = found;
  const path = call.getSourceFile().getFilePath();
  if (!lastUse) return [...importEdits, { file: path, start: binding.getStart(), end: binding.getEnd(), newText: binding.getText() }];
  const removal = namedImportRemoval(found);
  if (removal === undefined) return importEdits;
  // A new import added right after the removed declaration would land inside the removed range: put it there instead.
  const inside = importEdits.find((e) => e.start === e.end && e.start > removal.start && e.start < removal.end);
  if (inside === undefined) return [...importEdits, removal];
  const merged = { ...removal, newText: `${inside.newText.replace(/^\r?\n/, '')}${lineBreakOf(call.getSourceFile())}` };
  return [...importEdits.filter((e) => e !== inside), merged];
}
