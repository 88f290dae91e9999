// Warnings (code `unsafe_node`) on node classes known to execute arbitrary code, in their own collection so they
// show even without node definitions (the main validator needs a server or a dump) and never mix with its debounce.
// Parsing is shared with the rest of the editor through WorkflowDocuments (one parse per document version).
import * as vscode from 'vscode';
import { unsafeNodeProblems } from '../../core/safety/detect';
import type { UnsafeNodeList } from '../../core/safety/unsafeNodes';
import type { WorkflowDocuments } from '../host/workflowDocuments';

export const SAFETY_COLLECTION = 'comfyui-safety';

export class UnsafeNodeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SAFETY_COLLECTION);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly documents: Pick<WorkflowDocuments, 'workflow' | 'onDidChangeMembership'>,
    private readonly list: () => UnsafeNodeList,
    private readonly debounceMs = 200,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d);
        this.collection.delete(d.uri);
      }),
      documents.onDidChangeMembership(() => this.updateAll()),
    );
    this.updateAll();
  }

  updateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancel(doc);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.update(doc);
      }, this.debounceMs),
    );
  }

  private cancel(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.pending.get(key);
    if (t) clearTimeout(t);
    this.pending.delete(key);
  }

  /** Recomputes one document now (tests, and after a settings change). */
  update(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    try {
      const entry = this.documents.workflow(doc);
      if (!entry) {
        this.collection.delete(doc.uri);
        return;
      }
      const diagnostics = unsafeNodeProblems(entry.parsed, this.list()).map((p) => {
        const range = new vscode.Range(doc.positionAt(p.range.offset), doc.positionAt(p.range.offset + p.range.length));
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Warning);
        d.source = 'comfyui';
        d.code = p.data.source.startsWith('https://') ? { value: p.code, target: vscode.Uri.parse(p.data.source) } : p.code;
        return d;
      });
      this.collection.set(doc.uri, diagnostics);
    } catch {
      // A diagnostic pass must never break editing; the next change retries.
      this.collection.delete(doc.uri);
    }
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
