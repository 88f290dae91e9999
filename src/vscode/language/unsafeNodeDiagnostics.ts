// Warnings (code `unsafe_node`) on node classes known to execute arbitrary code, in their own collection so they
// show even without node definitions (the main validator needs a server or a dump) and never mix with its debounce.
// Parsing is shared with the rest of the editor through WorkflowDocuments (one parse per document version); a
// document the host does not parse (over HOST_PARSE_BYTES) is checked in the validation worker.
import * as vscode from 'vscode';
import { unsafeNodeProblems, type UnsafeNodeProblem } from '../../core/safety/detect';
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
  /** Checks a document the host does not parse, in the validation worker; undefined when cut short or superseded. */
  large?: (text: string, signal: AbortSignal) => Promise<UnsafeNodeProblem[] | undefined>;
}

export class UnsafeNodeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(SAFETY_COLLECTION);
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly pending = new Map<string, Debounced<[]>>();
  /** Checks of large documents running in the worker, by document. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly documents: Pick<WorkflowDocuments, 'get' | 'onDidChangeMembership'>,
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
    this.running.get(key)?.abort();
    this.running.delete(key);
    this.pending.get(key)?.cancel();
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
    const large = this.options.large;
    if (!large) return;
    const key = doc.uri.toString();
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    const version = doc.version;
    void large(doc.getText(), controller.signal).then(
      (problems) => {
        if (controller.signal.aborted || doc.isClosed || doc.version !== version) return;
        this.running.delete(key);
        if (problems) this.publish(doc, problems);
      },
      () => this.collection.delete(doc.uri),
    );
  }

  private publish(doc: vscode.TextDocument, problems: UnsafeNodeProblem[]): void {
    const diagnostics = problems.map((p) =>
      toDiagnostic(doc, p, 'comfyui', p.data.source.startsWith('https://') ? vscode.Uri.parse(p.data.source) : undefined),
    );
    this.collection.set(doc.uri, diagnostics);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    for (const d of this.pending.values()) d.cancel();
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
