/**
 * Fixes for `blocking-in-async`: replace a blocking call with its awaited async twin (`m.lock()` ->
 * `await m.lockAsync()`, `readFileSync(p)` -> `await readFile(p)` plus the import, `Atomics.wait(...)` ->
 * `await Atomics.waitAsync(...).value`). Offered only where `await` is legal: directly in the coroutine's body.
 */
import { Node, type CallExpression, type SourceFile } from 'ts-morph';
import type { BlockingCall } from '../detect/blocking-calls.js';
import { RUNTIME_MODULE } from '../detect/blocking-calls.js';
import type { Fix, TextEdit } from '../types.js';

/** fs functions whose `fs/promises` twin takes the same arguments and resolves to what the sync one returns. */
const FS_PROMISE_TWINS = new Set([
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp',
  'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate',
  'unlink', 'utimes', 'writeFile',
]);

/** The fix for one blocking call inside `coroutine`, or undefined when there is no safe rewrite. */
export function asyncTwinFix(call: CallExpression, blocking: BlockingCall, coroutine: Node): Fix | undefined {
  // `await` is only legal in the coroutine's own body, not in a sync callback nested inside it.
  const owner = call.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isArrowFunction(n) || Node.isFunctionExpression(n));
  if (owner !== coroutine) return undefined;
  const file = call.getSourceFile();
  const callee = call.getExpression();
  const args = file.getFullText().slice(callee.getEnd(), call.getEnd());

  switch (blocking.kind) {
    case 'atomics-wait':
      return replaceCall(call, 'Use await Atomics.waitAsync(...).value', `Atomics.waitAsync${args}.value`);
    case 'runtime': {
      if (blocking.twin === undefined || !Node.isPropertyAccessExpression(callee)) return undefined;
      return replaceCall(call, `Use await ${blocking.twin}()`, `${callee.getExpression().getText()}.${blocking.twin}${args}`);
    }
    case 'runtime-function': {
      const imported = ensureNamedImport(file, [RUNTIME_MODULE], RUNTIME_MODULE, blocking.twin);
      return replaceCall(call, `Use await ${blocking.twin}()`, `${imported.local}${args}`, imported.edits);
    }
    case 'node-sync': {
      if (blocking.module !== 'fs') return undefined;
      const twin = blocking.name.slice(0, -'Sync'.length);
      if (!FS_PROMISE_TWINS.has(twin)) return undefined;
      if (Node.isPropertyAccessExpression(callee)) {
        // `fs.readFileSync(p)` through a namespace or default import: `fs.promises` needs no new import.
        return replaceCall(call, `Use await ${twin}() from fs/promises`, `${callee.getExpression().getText()}.promises.${twin}${args}`);
      }
      const imported = ensureNamedImport(file, ['node:fs/promises', 'fs/promises'], 'node:fs/promises', twin);
      return replaceCall(call, `Use await ${twin}() from fs/promises`, `${imported.local}${args}`, imported.edits);
    }
    default:
      return undefined;
  }
}

/** Replaces `call` with `await <awaited>`, parenthesised where a member access or call follows it. */
function replaceCall(call: CallExpression, title: string, awaited: string, extra: TextEdit[] = []): Fix {
  const parent = call.getParent();
  const needsParens =
    parent !== undefined &&
    ((Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent) || Node.isCallExpression(parent) ||
      Node.isNonNullExpression(parent)) &&
      parent.getExpression() === call);
  const newText = needsParens ? `(await ${awaited})` : `await ${awaited}`;
  const edit: TextEdit = { file: call.getSourceFile().getFilePath(), start: call.getStart(), end: call.getEnd(), newText };
  return { title, preferred: true, edits: [...extra, edit] };
}

/**
 * The local name under which `name` from one of `modules` is (or, with the returned edits, will be) imported.
 * Reuses an existing import, extends a named import of the module, or adds a declaration after the last import;
 * a clashing local name gets an `Async` alias.
 */
export function ensureNamedImport(file: SourceFile, modules: string[], preferredModule: string, name: string): { local: string; edits: TextEdit[] } {
  const path = file.getFilePath();
  const imports = file.getImportDeclarations();
  const fromModule = imports.filter((d) => modules.includes(d.getModuleSpecifierValue()));
  for (const declaration of fromModule) {
    const existing = declaration.getNamedImports().find((s) => s.getName() === name);
    if (existing !== undefined) return { local: existing.getAliasNode()?.getText() ?? name, edits: [] };
  }
  const taken = new Set<string>();
  for (const declaration of imports) {
    for (const specifier of declaration.getNamedImports()) taken.add(specifier.getAliasNode()?.getText() ?? specifier.getName());
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport !== undefined) taken.add(defaultImport.getText());
    const namespace = declaration.getNamespaceImport();
    if (namespace !== undefined) taken.add(namespace.getText());
  }
  for (const statement of file.getStatements()) {
    if ((Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement)) && statement.getName() !== undefined) taken.add(statement.getName()!);
    if (Node.isVariableStatement(statement)) for (const d of statement.getDeclarations()) taken.add(d.getName());
  }
  const local = taken.has(name) ? `${name}Async` : name;
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
