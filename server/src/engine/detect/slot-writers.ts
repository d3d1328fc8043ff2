/**
 * Which threads write a slot of shared memory, for `non-atomic-update`: a plain read-modify-write of a slot that only
 * one thread writes cannot lose an update (others only read it), as in a ring buffer where the producer alone moves
 * its write index. A slot is a view kind and a constant index (`states[STATE.IB_WRITE_INDEX]`); a writing thread is
 * told apart by where its code runs (see `writerOf`), and any write that files linked with the writer's (see
 * linked-files.ts) make to that slot, or to a computed index of a view of that kind, counts as a second writer.
 */
import { Node, SyntaxKind, type Expression, type Project, type SourceFile } from 'ts-morph';
import { sharedViewOf } from './shared-views.js';
import { linkedGroups } from './linked-files.js';

/** Atomics calls that write the element at (array, index). */
const ATOMIC_WRITES = new Set(['store', 'add', 'sub', 'and', 'or', 'xor', 'exchange', 'compareExchange']);

/** A write of one element: the writing code's thread, the view's kind, and the index (undefined when computed). */
interface SlotWrite {
  file: string;
  writer: string;
  kind: string;
  index: number | undefined;
}

/**
 * The slot writes of one analysis, gathered on first use (most programs never ask): one instance per rule run, so an
 * editor's later edits are seen by the next run.
 */
export class SlotWriters {
  #table: { groups: Map<string, ReadonlySet<string>>; writes: SlotWrite[] } | undefined;

  constructor(private readonly project: Project) {}

  /**
   * Whether the element `array[index]` of a `kind` view, updated at `node`, is written by one thread only: its code
   * runs on a thread of which there is one per buffer, its index is a constant, and no code of another thread in the
   * files linked with it writes that slot (or a computed index of a view of that kind, which may be it).
   */
  isSingleWriterSlot(node: Node, index: Expression, kind: string): boolean {
    const slot = constantIndex(index);
    const writer = writerOf(node.getSourceFile());
    if (slot === undefined || writer === undefined) return false;
    if (this.#table === undefined) {
      const files = this.project.getSourceFiles().filter(isProgramFile);
      this.#table = { groups: linkedGroups(files), writes: files.flatMap(slotWrites) };
    }
    const linked = this.#table.groups.get(node.getSourceFile().getFilePath()) ?? new Set([node.getSourceFile().getFilePath()]);
    return !this.#table.writes.some((w) => linked.has(w.file) && w.writer !== writer && w.kind === kind && (w.index === undefined || w.index === slot));
  }
}

/**
 * The thread a file's code runs on, when there is one per buffer it writes: an AudioWorklet processor's file
 * (`registerProcessor`; every processor of an AudioContext runs on its one rendering thread), or a worker script that
 * makes its SharedArrayBuffers itself (each instance writes the buffers it made and hands out). Undefined otherwise:
 * a worker started several times over one buffer, or the main thread, may be several writers of one file.
 */
function writerOf(file: SourceFile): string | undefined {
  const text = file.getFullText();
  if (/\bregisterProcessor\s*\(/.test(text)) return 'audio-worklet';
  const worker = /\b(self\.)?onmessage\s*=|\baddEventListener\(\s*['"]message['"]|\bparentPort\b/.test(text);
  if (worker && /\bnew\s+SharedArrayBuffer\s*\(/.test(text)) return file.getFilePath();
  return undefined;
}

function isProgramFile(file: SourceFile): boolean {
  return !file.isDeclarationFile() && !file.getFilePath().includes('/node_modules/');
}

/** Every write of an element of a shared view in `file`: assignments, `++`/`--`, and Atomics writes. */
function slotWrites(file: SourceFile): SlotWrite[] {
  const text = file.getFullText();
  if (!text.includes('[') && !text.includes('Atomics')) return [];
  const writer = writerOf(file) ?? file.getFilePath();
  const found: SlotWrite[] = [];
  const add = (array: Node | undefined, index: Node | undefined): void => {
    if (!array || !index || !Node.isExpression(array) || !Node.isExpression(index)) return;
    const view = sharedViewOf(array);
    if (view) found.push({ file: file.getFilePath(), writer, kind: view.kind, index: constantIndex(index) });
  };
  file.forEachDescendant((node) => {
    let target: Node | undefined;
    if (Node.isBinaryExpression(node)) {
      const kind = node.getOperatorToken().getKind();
      if (kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment) target = node.getLeft();
    } else if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
      const token = node.getOperatorToken();
      if (token === SyntaxKind.PlusPlusToken || token === SyntaxKind.MinusMinusToken) target = node.getOperand();
    } else if (Node.isCallExpression(node)) {
      const callee = node.getExpression();
      if (Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === 'Atomics' && ATOMIC_WRITES.has(callee.getName())) {
        const [array, index] = node.getArguments();
        add(array, index);
      }
    }
    while (target && (Node.isParenthesizedExpression(target) || Node.isNonNullExpression(target))) target = target.getExpression();
    if (target && Node.isElementAccessExpression(target)) add(target.getExpression(), target.getArgumentExpression());
  });
  return found;
}

/**
 * The number an index stands for when the program fixes it: a literal, a `const` holding one (also imported), or a
 * property of a `const` object literal (`STATE.IB_WRITE_INDEX` with `const STATE = { 'IB_WRITE_INDEX': 3 }`).
 */
export function constantIndex(index: Node): number | undefined {
  let node = index;
  while (Node.isParenthesizedExpression(node) || Node.isAsExpression(node)) node = node.getExpression();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  const name = Node.isIdentifier(node) ? node : Node.isPropertyAccessExpression(node) ? node.getNameNode() : undefined;
  let symbol = name?.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  const declaration = symbol?.getDeclarations()[0];
  if (!declaration) return undefined;
  if (Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getDeclarationKind() === 'const') {
    const initializer = declaration.getInitializer();
    return initializer && Node.isNumericLiteral(initializer) ? initializer.getLiteralValue() : undefined;
  }
  if (Node.isPropertyAssignment(declaration) && Node.isPropertyAccessExpression(node)) {
    const owner = declaration.getParent()?.getParent();
    const initializer = declaration.getInitializer();
    if (!owner || !Node.isVariableDeclaration(owner) || owner.getVariableStatement()?.getDeclarationKind() !== 'const') return undefined;
    return initializer && Node.isNumericLiteral(initializer) ? initializer.getLiteralValue() : undefined;
  }
  return undefined;
}
