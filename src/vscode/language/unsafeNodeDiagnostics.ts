// Warnings (code `unsafe_node`) on node classes known to execute arbitrary code, in their own collection so they
// show even without node definitions (the main validator needs a server or a dump) and never mix with its debounce.
// Parsing is shared with the rest of the editor through WorkflowDocuments (one parse per document version).
import * as vscode from 'vscode';
import { unsafeNodeProblems, type UnsafeNodeProblem } from '../../core/safety/detect';
import type { UnsafeNodeList } from '../../core/safety/unsafeNodes';
import type { WorkflowDocuments } from '../host/workflowDocuments';

export const SAFETY_COLLECTION = 'comfyui-safety';

export class UnsafeNodeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SAFETY_COLLECTION);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  /** Checks of large documents running in the worker, by document. */
  private readonly running = new Map<string, AbortController>();

  /**
   * `large` checks a document the host does not parse (over HOST_PARSE_BYTES) in the validation worker; resolves
   * undefined when that was cut short or superseded.
   */
  constructor(
    private readonly documents: Pick<WorkflowDocuments, 'get' | 'onDidChangeMembership'>,
    private readonly list: () => UnsafeNodeList,
    private readonly debounceMs = 200,
    private readonly large?: (text: string, signal: AbortSignal) => Promise<UnsafeNodeProblem[] | undefined>,
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
    this.running.get(key)?.abort();
    this.running.delete(key);
    const t = this.pending.get(key);
    if (t) clearTimeout(t);
    this.pending.delete(key);
  }

  /** Recomputes one document now (tests, and after a settings change). */
  update(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    try {
      const entry = this.documents.get(doc);
      if (!entry.isWorkflow || (!entry.parsed && !entry.deferred)) {
        this.collection.delete(doc.uri);
        return;
      }
      if (!entry.parsed) {
        this.updateLarge(doc);
        return;
      }
      this.publish(doc, unsafeNodeProblems(entry.parsed, this.list()));
    } catch {
      // A diagnostic pass must never break editing; the next change retries.
      this.collection.delete(doc.uri);
    }
  }

  private updateLarge(doc: vscode.TextDocument): void {
    if (!this.large) return;
    const key = doc.uri.toString();
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    const version = doc.version;
    void this.large(doc.getText(), controller.signal).then(
      (problems) => {
        if (controller.signal.aborted || doc.isClosed || doc.version !== version) return;
        this.running.delete(key);
        if (problems) this.publish(doc, problems);
      },
      () => this.collection.delete(doc.uri),
    );
  }

  private publish(doc: vscode.TextDocument, problems: UnsafeNodeProblem[]): void {
    const diagnostics = problems.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.range.offset), doc.positionAt(p.range.offset + p.range.length));
      const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Warning);
      d.source = 'comfyui';
      d.code = p.data.source.startsWith('https://') ? { value: p.code, target: vscode.Uri.parse(p.data.source) } : p.code;
      return d;
    });
    this.collection.set(doc.uri, diagnostics);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
