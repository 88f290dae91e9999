// Warnings (code `unsafe_node`) on node classes known to execute arbitrary code, in their own collection so they
// show even without node definitions (the main validator needs a server or a dump) and never mix with its debounce.
// Parsing is shared with the rest of the editor through WorkflowDocuments (one parse per document version).
import * as vscode from 'vscode';
import { unsafeNodeProblems } from '../../core/safety/detect';
import type { UnsafeNodeList } from '../../core/safety/unsafeNodes';
import { systemClock, type Clock } from '../../core/util/clock';
import { debounce, type Debounced } from '../../core/util/debounce';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { toDiagnostic } from '../common/convert';

export const SAFETY_COLLECTION = 'comfyui-safety';

export interface UnsafeNodeDiagnosticsOptions {
  /** The quiet period after a keystroke: `comfyui.validation.debounceMs`, read at every change. */
  debounceMs: () => number;
  clock?: Clock;
}

export class UnsafeNodeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SAFETY_COLLECTION);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly pending = new Map<string, Debounced<[]>>();

  constructor(
    private readonly documents: Pick<WorkflowDocuments, 'workflow' | 'onDidChangeMembership'>,
    private readonly list: () => UnsafeNodeList,
    private readonly options: UnsafeNodeDiagnosticsOptions,
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
    let d = this.pending.get(key);
    if (!d) {
      d = debounce(
        () => {
          this.pending.delete(key);
          this.update(doc);
        },
        this.options.debounceMs,
        this.options.clock ?? systemClock,
      );
      this.pending.set(key, d);
    }
    d();
  }

  private cancel(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.pending.get(key)?.cancel();
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
      const diagnostics = unsafeNodeProblems(entry.parsed, this.list()).map((p) =>
        toDiagnostic(doc, p, 'comfyui', p.data.source.startsWith('https://') ? vscode.Uri.parse(p.data.source) : undefined),
      );
      this.collection.set(doc.uri, diagnostics);
    } catch {
      // A diagnostic pass must never break editing; the next change retries.
      this.collection.delete(doc.uri);
    }
  }

  dispose(): void {
    for (const d of this.pending.values()) d.cancel();
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
