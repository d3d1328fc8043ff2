/**
 * File identity for the language server: URIs to paths and back, which files the engine analyses, and the text
 * a finding's offsets refer to (the open buffer when there is one, else the file on disk).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Extensions the engine reads: TypeScript and JavaScript in every module flavour. */
const ANALYSED_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export function isAnalysedPath(path: string): boolean {
  return ANALYSED_EXTENSIONS.has(extname(path).toLowerCase()) && !path.endsWith('.d.ts');
}

/** The file system path of a `file:` URI, or undefined for any other scheme (untitled buffers, git diffs). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Where unsaved buffers (`untitled:` URIs) live for the engine: a folder that is never read from disk. */
export const UNTITLED_FOLDER = join(tmpdir(), 'deadbolt-untitled');

/**
 * The path the engine knows a document by: its file path, or for an unsaved buffer a made-up path in
 * UNTITLED_FOLDER whose extension follows the buffer's language, so it is analysed as TypeScript or JavaScript.
 */
export function documentPath(uri: string, languageId: string | undefined): string | undefined {
  if (!uri.startsWith('untitled:')) return uriToPath(uri);
  if (languageId === undefined) return undefined;
  const extension = { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' }[languageId];
  if (extension === undefined) return undefined;
  return join(UNTITLED_FOLDER, encodeURIComponent(uri.slice('untitled:'.length)) + extension);
}

/** Whether two URIs name the same file, however each editor or the engine spelled them. */
export function sameFile(a: string, b: string): boolean {
  return a === b || (uriToPath(a) ?? a) === (uriToPath(b) ?? b);
}

/**
 * Maps paths back to the exact URIs the editor used for them, since editors differ in how they percent-encode,
 * and a diagnostic published under a differently spelled URI would land on no open document.
 */
export class UriMap {
  private readonly known = new Map<string, string>();

  remember(path: string, uri: string): void {
    this.known.set(path, uri);
  }

  uriOf(path: string): string {
    return this.known.get(path) ?? pathToFileURL(path).href;
  }
}

/** The text of a file as the engine analysed it, wrapped so offsets convert to LSP positions. */
export function textDocumentOf(documents: TextDocuments<TextDocument>, uris: UriMap, path: string): TextDocument | undefined {
  const uri = uris.uriOf(path);
  const open = documents.get(uri);
  if (open !== undefined) return open;
  try {
    return TextDocument.create(uri, 'typescript', 0, readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
