/**
 * Sends diagnostics for a root after each fresh analysis: every file that has findings, an empty list for every
 * file that had some and no longer does, and a publish for every open document so the editor sees its version
 * analysed. Closed files whose diagnostics did not change are not re-sent.
 */
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/index.js';
import { toDiagnostic } from './diagnostics.js';
import type { UriMap } from './files.js';
import type { RootState } from './roots.js';

export class Publisher {
  /** What was last sent per URI and for which root. */
  private readonly sent = new Map<string, { root: string; json: string }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly uris: UriMap,
    private readonly docsBase: () => string,
    /** Whether an open document is analysed as part of the named root. */
    private readonly belongsTo: (document: TextDocument, root: string) => boolean,
  ) {}

  /** Publishes a root's fresh findings (grouped by file) and clears what went away. */
  root(root: RootState, byPath: ReadonlyMap<string, readonly Finding[]>): void {
    const now = new Set<string>();
    const sentNow = new Set<string>();
    for (const [path, findings] of byPath) {
      const uri = this.uris.uriOf(path);
      now.add(uri);
      const diagnostics = findings.map((finding) => toDiagnostic(finding, this.uris, this.docsBase()));
      const json = JSON.stringify(diagnostics);
      if (this.documents.get(uri) === undefined && this.sent.get(uri)?.json === json) continue;
      this.send(root.name, uri, diagnostics, json);
      sentNow.add(uri);
    }
    for (const uri of this.clear(root.name, now)) sentNow.add(uri);
    for (const document of this.documents.all()) {
      if (!sentNow.has(document.uri) && this.belongsTo(document, root.name)) this.send(root.name, document.uri, [], '[]');
    }
  }

  /** Publishes one open document from findings known to be current for its text. */
  document(root: RootState, document: TextDocument, findings: readonly Finding[]): void {
    const diagnostics = findings.map((finding) => toDiagnostic(finding, this.uris, this.docsBase()));
    this.send(root.name, document.uri, diagnostics, JSON.stringify(diagnostics));
  }

  /** Sends an empty list for every URI the root published findings for, except those in `keep`; returns those URIs. */
  clear(rootName: string, keep: ReadonlySet<string> = new Set()): string[] {
    const cleared = [...this.sent].filter(([uri, entry]) => entry.root === rootName && !keep.has(uri) && entry.json !== '[]').map(([uri]) => uri);
    for (const uri of cleared) this.send(rootName, uri, [], '[]');
    return cleared;
  }

  private send(root: string, uri: string, diagnostics: Diagnostic[], json: string): void {
    const version = this.documents.get(uri)?.version;
    // Empty lists of closed files need no memory: nothing is left to clear there.
    if (json === '[]' && version === undefined) this.sent.delete(uri);
    else this.sent.set(uri, { root, json });
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
