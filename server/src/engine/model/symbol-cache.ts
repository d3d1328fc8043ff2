/**
 * The checker's symbols at the nodes the model asks about, kept while one model is built. A root walk inlines the
 * same helpers at every call site and asks the same questions of the same nodes each time; the checker keeps some
 * answers but resolves a name in an expression again on every question (scope by scope). The program does not change
 * while a model is built, so its answers do not either; outside a build (the rules' questions, the fix gate's
 * programs, which share parsed files with the analysed one) every question goes to the checker.
 */
import type { Node, Symbol as MorphSymbol, ts } from 'ts-morph';

let symbols: Map<ts.Node, MorphSymbol | undefined> | undefined;
let declarations: Map<ts.Node, Node | undefined> | undefined;
let aliased: Map<ts.Node, Node | undefined> | undefined;

/** `node.getSymbol()`, once per node during a model build. */
export function symbolOf(node: Node): MorphSymbol | undefined {
  if (symbols === undefined) return node.getSymbol();
  const key = node.compilerNode;
  const known = symbols.get(key);
  if (known !== undefined || symbols.has(key)) return known;
  const symbol = node.getSymbol();
  symbols.set(key, symbol);
  return symbol;
}

/** `node.getSymbol()?.getDeclarations()[0]`: the first declaration of what `node` names, once per node during a model build. */
export function declarationOf(node: Node): Node | undefined {
  if (declarations === undefined) return node.getSymbol()?.getDeclarations()[0];
  const key = node.compilerNode;
  const known = declarations.get(key);
  if (known !== undefined || declarations.has(key)) return known;
  const declaration = symbolOf(node)?.getDeclarations()[0];
  declarations.set(key, declaration);
  return declaration;
}

/** What `node` names, through an import or export alias to what it aliases (`symbolOf`, then the alias followed). */
export function aliasedSymbolOf(node: Node): MorphSymbol | undefined {
  const symbol = symbolOf(node);
  return symbol?.isAlias() ? symbol.getAliasedSymbol() ?? symbol : symbol;
}

/** The first declaration of what `node` names, through an import or export alias to what it aliases; once per node during a model build. */
export function aliasedDeclarationOf(node: Node): Node | undefined {
  if (aliased?.has(node.compilerNode)) return aliased.get(node.compilerNode);
  const declaration = aliasedSymbolOf(node)?.getDeclarations()[0];
  aliased?.set(node.compilerNode, declaration);
  return declaration;
}

/** Runs `build` (one model build over one unchanging program) with the symbol cache on; nested calls share it. */
export function withSymbolCache<T>(build: () => T): T {
  if (symbols !== undefined) return build();
  symbols = new Map();
  declarations = new Map();
  aliased = new Map();
  try {
    return build();
  } finally {
    symbols = undefined;
    declarations = undefined;
    aliased = undefined;
  }
}
