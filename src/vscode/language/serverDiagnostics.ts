// The server's verdicts in the Problems panel, source `comfyui-server`, in a collection of their own so the live
// validator (`comfyui`) never overwrites them. They stay on their text while the user edits elsewhere, disappear where
// the user edits that spot, and are cleared by the next successful queue of the file.
import * as vscode from 'vscode';
import { trackProblems, type ServerProblem } from '../../core/queue/serverErrors';
import { toDiagnostic } from '../common/convert';

export const SERVER_DIAGNOSTIC_SOURCE = 'comfyui-server';

export class ServerDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SERVER_DIAGNOSTIC_SOURCE);
  private readonly problems = new Map<string, ServerProblem[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        const current = this.problems.get(key);
        if (!current || e.contentChanges.length === 0) return;
        const next = trackProblems(current, e.contentChanges);
        this.store(e.document, next);
      }),
      // Ranges cannot follow edits made while the file is closed, so its server problems go with it.
      vscode.workspace.onDidCloseTextDocument((doc) => this.clear(doc.uri)),
    );
  }

  /** Replaces the problems of a document. */
  set(doc: vscode.TextDocument, problems: ServerProblem[]): void {
    this.store(doc, problems);
  }

  /** Adds problems (e.g. a runtime error after an earlier validation error of another run). */
  add(doc: vscode.TextDocument, problems: ServerProblem[]): void {
    this.store(doc, [...(this.problems.get(doc.uri.toString()) ?? []), ...problems]);
  }

  clear(uri: vscode.Uri): void {
    this.problems.delete(uri.toString());
    this.collection.delete(uri);
  }

  get(uri: vscode.Uri): readonly ServerProblem[] {
    return this.problems.get(uri.toString()) ?? [];
  }

  private store(doc: vscode.TextDocument, problems: ServerProblem[]): void {
    const key = doc.uri.toString();
    if (problems.length === 0) {
      this.clear(doc.uri);
      return;
    }
    this.problems.set(key, problems);
    this.collection.set(
      doc.uri,
      problems.map((p) => toDiagnostic(doc, p, SERVER_DIAGNOSTIC_SOURCE)),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.problems.clear();
  }
}
