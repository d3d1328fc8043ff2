/**
 * A ts-morph Project with the fixtures' compiler settings, for tests that type-check fixture files against the
 * runtime's declarations (fixtures-compile.test.ts, and fixes-proven.test.ts after each fix).
 */
import { Project, ts } from 'ts-morph';

/** Only TypeScript files are added: JavaScript fixtures (CommonJS, as Node scripts are written) are not typed. */
export function fixtureProject(files: readonly string[]): Project {
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      // Bundler resolution: the fixtures are ESM by their package.json, which an in-process Project does not always see.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  });
  for (const file of files.filter((f) => /\.[mc]?tsx?$/.test(f))) project.addSourceFileAtPath(file);
  return project;
}
