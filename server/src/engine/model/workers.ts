/**
 * Worker entry points: `new Worker(url, { workerData })` starts a thread running another file. Each spawn site
 * binds the worker's `workerData` fields to the locks whose handles it passes, so `Mutex.from(workerData.a)`
 * in the worker is the same lock as the `lockA` in `{ a: lockA.handle }` at that site.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { EMPTY_ENV, WHOLE_WORKER_DATA, type Value, type ValueResolver } from './values.js';
import { declarationOf } from './symbol-cache.js';

export interface WorkerSpawn {
  site: Node;
  target: SourceFile;
  workerData: ReadonlyMap<string, Value>;
  /** Fields of the objects posted to this worker (`worker.postMessage({ m: lock.handle })`). */
  messages: ReadonlyMap<string, Value>;
}

/** Every `new Worker(...)` in `files` whose script is one of `files`, with the lock values its workerData carries. */
export function findWorkerSpawns(files: readonly SourceFile[], resolver: ValueResolver): WorkerSpawn[] {
  const byPath = new Map(files.map((f) => [f.getFilePath() as string, f]));
  const spawns: WorkerSpawn[] = [];
  for (const file of files) {
    if (!file.getFullText().includes('Worker')) continue;
    for (const expression of file.getDescendantsOfKind(SyntaxKind.NewExpression)) {
      if (expression.getExpression().getText() !== 'Worker') continue;
      const [script, options] = expression.getArguments();
      for (const relative of script ? scriptPaths(script) : []) {
        // `new Worker(new URL(import.meta.url))`: the file starts itself (its `isMainThread` branch spawns).
        const target = relative === SELF ? file : resolveScript(path.dirname(file.getFilePath()), relative, byPath);
        if (!target) continue;
        const workerData = new Map<string, Value>();
        const data = options && Node.isObjectLiteralExpression(options) ? options.getProperty('workerData') : undefined;
        const dataValue = data && Node.isPropertyAssignment(data) ? data.getInitializer() : data && Node.isShorthandPropertyAssignment(data) ? data.getNameNode() : undefined;
        objectFields(dataValue, resolver, workerData);
        // `workerData: lock.handle`: the worker's workerData is that lock itself.
        const whole = dataValue && !objectLiteralOf(dataValue) ? resolver.resolve(dataValue, EMPTY_ENV) : undefined;
        if (whole?.kind) workerData.set(WHOLE_WORKER_DATA, whole);
        spawns.push({ site: expression, target, workerData, messages: postedFields(expression, resolver) });
      }
    }
  }
  return spawns;
}

/** An object literal, through `as`/parentheses and through a `const` that holds one (`workerData: seat`). */
function objectLiteralOf(node: Node | undefined, depth = 0): Node | undefined {
  let current = node;
  while (current && (Node.isAsExpression(current) || Node.isParenthesizedExpression(current) || Node.isSatisfiesExpression(current))) current = current.getExpression();
  if (!current || depth > 4) return undefined;
  if (Node.isObjectLiteralExpression(current)) return current;
  if (Node.isIdentifier(current)) {
    const declaration = declarationOf(current);
    return declaration && Node.isVariableDeclaration(declaration) ? objectLiteralOf(declaration.getInitializer(), depth + 1) : undefined;
  }
  return undefined;
}

function objectFields(node: Node | undefined, resolver: ValueResolver, into: Map<string, Value>): void {
  const literal = objectLiteralOf(node);
  if (!literal || !Node.isObjectLiteralExpression(literal)) return;
  for (const property of literal.getProperties()) {
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
    const resolved = value ? resolver.resolve(value, EMPTY_ENV) : Node.isShorthandPropertyAssignment(property) ? resolver.resolveShorthand(property, EMPTY_ENV) : undefined;
    if (resolved && Node.hasName(property)) into.set(property.getName(), resolved);
  }
}

/** Fields posted to the worker a `new Worker(...)` stored in a variable: every `w.postMessage({ ... })` of that variable. */
function postedFields(spawn: Node, resolver: ValueResolver): Map<string, Value> {
  const fields = new Map<string, Value>();
  const holder = spawn.getParent();
  if (!holder || !Node.isVariableDeclaration(holder)) return fields;
  for (const call of spawn.getSourceFile().getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'postMessage') continue;
    if (declarationOf(callee.getExpression()) !== holder) continue;
    objectFields(call.getArguments()[0], resolver, fields);
  }
  return fields;
}

/** A function registered as this worker's message handler: `parentPort.on('message', fn)`, `once`, `addListener`. */
export function isMessageHandler(fn: Node): boolean {
  const call = fn.getParent();
  if (!call || !Node.isCallExpression(call) || call.getArguments()[1] !== fn) return false;
  const callee = call.getExpression();
  const event = call.getArguments()[0];
  return (
    Node.isPropertyAccessExpression(callee) && ['on', 'once', 'addListener'].includes(callee.getName()) &&
    /parentPort/.test(callee.getExpression().getText()) && event !== undefined && Node.isStringLiteral(event) && event.getLiteralValue() === 'message'
  );
}

/** The script a worker runs when it is this very file (`new Worker(new URL(import.meta.url))`, `__filename`). */
const SELF = '\0self';
const THIS_FOLDER = /^(__dirname|import\.meta\.dirname|(path\.)?dirname\((url\.)?fileURLToPath\(import\.meta\.url\)\))$/;

/**
 * The scripts a `new Worker(...)` argument names: one for a literal, `new URL(literal, import.meta.url)`,
 * `path.join(__dirname, 'w.js')` (or `resolve`, or the folder as `import.meta.dirname` or
 * `dirname(fileURLToPath(import.meta.url))`), `fileURLToPath(...)` of any of these, or a `const` holding one; one per name for a template over a list (`` ['a.js', 'b.js'].map((f) => new Worker(new URL(`./w/${f}`,
 * import.meta.url))) ``, or `for (const f of [...])`).
 */
function scriptPaths(node: Node): string[] {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return [node.getLiteralValue()];
  if (/^(import\.meta\.url|__filename|(url\.)?fileURLToPath\(import\.meta\.url\))$/.test(node.getText())) return [SELF];
  if (Node.isNewExpression(node) && node.getExpression().getText() === 'URL') {
    const first = node.getArguments()[0];
    return first ? scriptPaths(first) : [];
  }
  if (Node.isTemplateExpression(node) && node.getTemplateSpans().length === 1) {
    const span = node.getTemplateSpans()[0]!;
    const names = listedNames(span.getExpression());
    return names.map((name) => node.getHead().getLiteralText() + name + span.getLiteral().getLiteralText());
  }
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression().getText();
    const [first, ...rest] = node.getArguments();
    if (/^(url\.)?fileURLToPath$/.test(callee) && first) return scriptPaths(first);
    // path.join(__dirname, 'workers', 'w.js'): a path from this file's folder, when every other part is a literal.
    if (/^(path\.)?(join|resolve)$/.test(callee) && first && THIS_FOLDER.test(first.getText()) && rest.length > 0) {
      const parts = rest.map((part) => (Node.isStringLiteral(part) || Node.isNoSubstitutionTemplateLiteral(part) ? part.getLiteralValue() : undefined));
      return parts.every((part) => part !== undefined) ? [`./${path.posix.join(...parts)}`] : [];
    }
  }
  if (Node.isIdentifier(node)) {
    const declaration = declarationOf(node);
    const initializer = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    return initializer ? scriptPaths(initializer) : [];
  }
  return [];
}

/** The strings a variable runs over: the parameter of a callback of `[...].map`/`forEach`, or a `for...of` variable over `[...]`. */
function listedNames(expression: Node): string[] {
  const declaration = Node.isIdentifier(expression) ? declarationOf(expression) : undefined;
  let list: Node | undefined;
  if (declaration && Node.isParameterDeclaration(declaration)) {
    const call = declaration.getParent()?.getParent();
    const callee = call && Node.isCallExpression(call) ? call.getExpression() : undefined;
    if (callee && Node.isPropertyAccessExpression(callee) && /^(map|forEach|flatMap)$/.test(callee.getName())) list = callee.getExpression();
  } else if (declaration && Node.isVariableDeclaration(declaration)) {
    const loop = declaration.getParent()?.getParent();
    if (loop && Node.isForOfStatement(loop)) list = loop.getExpression();
  }
  if (list && Node.isIdentifier(list)) {
    const holder = declarationOf(list);
    list = holder && Node.isVariableDeclaration(holder) ? holder.getInitializer() : undefined;
  }
  while (list && (Node.isAsExpression(list) || Node.isParenthesizedExpression(list) || Node.isSatisfiesExpression(list))) list = list.getExpression();
  if (!list || !Node.isArrayLiteralExpression(list)) return [];
  return list.getElements().flatMap((element) => (Node.isStringLiteral(element) || Node.isNoSubstitutionTemplateLiteral(element) ? [element.getLiteralValue()] : []));
}

/** The source file a script URL runs: `./w.js` is `./w.ts` before compilation. */
function resolveScript(folder: string, relative: string, byPath: ReadonlyMap<string, SourceFile>): SourceFile | undefined {
  const absolute = path.resolve(folder, relative.replace(/^file:\/\//, ''));
  const stem = absolute.replace(/\.(m|c)?js$/, '');
  for (const candidate of [absolute, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}.tsx`]) {
    const file = byPath.get(candidate);
    if (file) return file;
  }
  return existsSync(absolute) ? byPath.get(absolute) : undefined;
}
