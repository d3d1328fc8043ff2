/**
 * Worker entry points: `new Worker(url, { workerData })` starts a thread running another file. Each spawn site
 * binds the worker's `workerData` fields to the locks whose handles it passes, so `Mutex.from(workerData.a)`
 * in the worker is the same lock as the `lockA` in `{ a: lockA.handle }` at that site.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { EMPTY_ENV, type Value, type ValueResolver } from './values.js';

export interface WorkerSpawn {
  site: Node;
  target: SourceFile;
  workerData: ReadonlyMap<string, Value>;
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
      const relative = script ? scriptPath(script) : undefined;
      if (!relative) continue;
      const target = resolveScript(path.dirname(file.getFilePath()), relative, byPath);
      if (!target) continue;
      const workerData = new Map<string, Value>();
      const data = options && Node.isObjectLiteralExpression(options) ? options.getProperty('workerData') : undefined;
      const literal = data && Node.isPropertyAssignment(data) ? data.getInitializer() : undefined;
      if (literal && Node.isObjectLiteralExpression(literal)) {
        for (const property of literal.getProperties()) {
          const value = Node.isPropertyAssignment(property)
            ? property.getInitializer()
            : Node.isShorthandPropertyAssignment(property)
              ? property.getNameNode()
              : undefined;
          const resolved = value ? resolver.resolve(value, EMPTY_ENV) : undefined;
          if (resolved && Node.hasName(property)) workerData.set(property.getName(), resolved);
        }
      }
      spawns.push({ site: expression, target, workerData });
    }
  }
  return spawns;
}

/** `new URL('./w.js', import.meta.url)`, `'./w.js'`, or a `const` holding either. */
function scriptPath(node: Node): string | undefined {
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNewExpression(node) && node.getExpression().getText() === 'URL') {
    const first = node.getArguments()[0];
    return first ? scriptPath(first) : undefined;
  }
  if (Node.isIdentifier(node)) {
    const declaration = node.getSymbol()?.getDeclarations()[0];
    const initializer = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    return initializer ? scriptPath(initializer) : undefined;
  }
  return undefined;
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
