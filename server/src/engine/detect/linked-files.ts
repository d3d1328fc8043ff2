/**
 * The files of a project that make up one application with a given file: those linked to it, directly or through
 * others, by an import, a `require`, or a string naming the file's path (`new Worker('worker.js')`,
 * `audioWorklet.addModule('processor.js')`, `import('./node.js')`). Threads can only share a buffer within such a
 * group, so a repository of many demos is many groups.
 */
import path from 'node:path';
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';

/** For each of `files`, the paths of the files linked with it, itself included: components of the link graph, links taken both ways. */
export function linkedGroups(files: readonly SourceFile[]): Map<string, ReadonlySet<string>> {
  const known = new Set(files.map((f) => f.getFilePath() as string));
  const neighbours = new Map<string, Set<string>>([...known].map((p) => [p, new Set<string>()]));
  for (const file of files) {
    const from = file.getFilePath() as string;
    for (const to of links(file, known)) {
      if (to === from) continue;
      neighbours.get(from)!.add(to);
      neighbours.get(to)!.add(from);
    }
  }
  const result = new Map<string, ReadonlySet<string>>();
  for (const start of known) {
    if (result.has(start)) continue;
    const component = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      for (const next of neighbours.get(queue.pop()!) ?? []) {
        if (!component.has(next)) {
          component.add(next);
          queue.push(next);
        }
      }
    }
    for (const member of component) result.set(member, component);
  }
  return result;
}

/** The program files one file names: module specifiers and any string that resolves, from its folder, to one. */
function links(file: SourceFile, known: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const directory = path.dirname(file.getFilePath());
  for (const literal of file.getDescendantsOfKind(SyntaxKind.StringLiteral)) found.push(...resolveName(directory, literal.getLiteralValue(), known));
  for (const literal of file.getDescendantsOfKind(SyntaxKind.NoSubstitutionTemplateLiteral)) found.push(...resolveName(directory, literal.getLiteralValue(), known));
  for (const declaration of [...file.getImportDeclarations(), ...file.getExportDeclarations()]) {
    const target = declaration.getModuleSpecifierSourceFile();
    if (target && known.has(target.getFilePath())) found.push(target.getFilePath());
  }
  // `new URL(`./workers/${name}`, import.meta.url)`: the folder it names links every file in it.
  for (const template of file.getDescendantsOfKind(SyntaxKind.TemplateExpression)) {
    const head = template.getHead().getLiteralText();
    if (!head.startsWith('.') || !head.endsWith('/') || !Node.isNewExpression(template.getParent()) && !Node.isCallExpression(template.getParent())) continue;
    const folder = path.resolve(directory, head);
    for (const candidate of known) if (path.dirname(candidate) === folder) found.push(candidate);
  }
  return found;
}

/** `./worker.js`, `worker.js`, `../shared/layout`: the program file it names from `directory`, with TypeScript's extension swaps. */
function resolveName(directory: string, name: string, known: ReadonlySet<string>): string[] {
  if (name.length === 0 || name.length > 300 || /^[a-z]+:/i.test(name) || name.includes('\n')) return [];
  const base = path.resolve(directory, name);
  const stem = base.replace(/\.(m|c)?[jt]sx?$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.js`, `${stem}.mjs`, `${stem}.cjs`, `${stem}.jsx`, `${stem}.mts`, `${stem}.cts`, path.join(base, 'index.ts'), path.join(base, 'index.js')];
  return candidates.filter((c) => known.has(c));
}
