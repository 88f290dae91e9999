// Live diagnostics for workflow files in the Problems panel, source `comfyui`. Recomputed when a workflow opens and,
// debounced, when it changes or the node definitions change; a newer edit cancels older pending work; cleared when
// the file closes or stops being a workflow. Each diagnostic's code is the server's error type, linked to its
// explanation in the README.
import * as vscode from 'vscode';
import type { Definitions } from '../host/nodeDefsStore';
import type { WorkflowDocuments, WorkflowEntry } from '../host/workflowDocuments';
import type { Problem } from '../../core/workflow/validate';
import { toDiagnostic } from '../common/convert';
import { systemClock, type Clock } from '../../core/util/clock';
import { debounce, type Debounced } from '../../core/util/debounce';

export const DIAGNOSTIC_SOURCE = 'comfyui';

/** The core's problem shape, with any code: UI validation and the server add codes of their own. */
export type EditorProblem = Omit<Problem, 'code'> & { code: string };

/** A live workflow: parsed on the host, or (large, `deferred`) only its text, which the worker parses. */
export type LiveWorkflow = WorkflowEntry & { text: string };

/**
 * Validates one workflow document; may be async (the worker), must honour the signal and never throw. Resolves
 * undefined when a deferred document turned out not to be a workflow (nothing is published then).
 */
export type Validator = (
  entry: LiveWorkflow,
  definitions: Definitions,
  context: { locale: string; signal: AbortSignal },
) => ProblemList | undefined | Promise<ProblemList | undefined>;

/** Problems, possibly only the first ones of `total`. */
export type ProblemList = EditorProblem[] & { total?: number };

/** At most this many diagnostics per file: thousands of squiggles help no one and cost the host time to convert. */
export const MAX_DIAGNOSTICS = 500;

export interface DiagnosticsOptions {
  documents: WorkflowDocuments;
  definitions: () => Definitions | undefined;
  onDidChangeDefinitions: vscode.Event<unknown>;
  validate: Validator;
  /** Where a code's explanation lives (README anchor). */
  codeTarget: (code: string) => vscode.Uri;
  debounceMs: () => number;
  enabled: () => boolean;
  log: { warn(...a: unknown[]): void; debug(...a: unknown[]): void };
  clock?: Clock;
}

interface Pending {
  /** The scheduled validation (after the quiet period, or on the next turn for an open or a new definition). */
  run: Debounced<[]>;
  controller: AbortController | undefined;
}

export interface DiagnosticsUpdate {
  uri: vscode.Uri;
  version: number;
  count: number;
  /** Time spent validating and converting (ms): the cost a keystroke pays after the debounce. */
  durationMs: number;
}

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly pending = new Map<string, Pending>();
  /** The core problem behind each diagnostic, for quick fixes (which need `data`). */
  private readonly problems = new WeakMap<vscode.Diagnostic, EditorProblem>();
  private readonly _onDidUpdate = new vscode.EventEmitter<DiagnosticsUpdate>();
  /** Fires after diagnostics of a document were replaced (tests and the perf measurement listen). */
  readonly onDidUpdate = this._onDidUpdate.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly o: DiagnosticsOptions) {
    this.disposables.push(
      this.collection,
      this._onDidUpdate,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, o.debounceMs());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      o.documents.onDidChangeMembership((e) => {
        if (!e.isWorkflow) this.forget(e.uri);
      }),
      o.onDidChangeDefinitions(() => this.revalidateAll()),
    );
    this.revalidateAll();
  }

  /** Re-checks every open document (definitions or settings changed). */
  revalidateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The core problem behind a diagnostic this controller published. */
  problemOf(diagnostic: vscode.Diagnostic): EditorProblem | undefined {
    return this.problems.get(diagnostic);
  }

  /** Validates now (skipping the debounce). Resolves when the diagnostics are published. */
  async validateNow(doc: vscode.TextDocument): Promise<void> {
    this.cancel(doc);
    await this.run(doc);
  }

  /**
   * Validates now and counts the errors published for `doc`: what the Problems panel shows, so the check before
   * queueing and the panel it offers to open agree (and the work stays in the validation worker).
   */
  async errorCount(doc: vscode.TextDocument): Promise<number> {
    await this.validateNow(doc);
    return (this.collection.get(doc.uri) ?? []).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (doc.isClosed) return;
    const p = this.cancel(doc);
    p.run.after(delayMs);
  }

  private entry(doc: vscode.TextDocument): Pending {
    const key = doc.uri.toString();
    let p = this.pending.get(key);
    if (!p) {
      p = { run: debounce(() => void this.run(doc), this.o.debounceMs, this.o.clock ?? systemClock), controller: undefined };
      this.pending.set(key, p);
    }
    return p;
  }

  /** Drops the pending validation and aborts a running one of `doc`; returns its (kept) entry. */
  private cancel(doc: vscode.TextDocument): Pending {
    const p = this.entry(doc);
    p.run.cancel();
    p.controller?.abort();
    p.controller = undefined;
    return p;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const p = this.pending.get(key);
    p?.run.cancel();
    p?.controller?.abort();
    this.pending.delete(key);
    this.collection.delete(uri);
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const started = performance.now();
    const version = doc.version;
    try {
      const entry = this.o.documents.get(doc);
      if (!entry.isWorkflow || !this.o.enabled()) {
        this.collection.delete(doc.uri);
        return;
      }
      let diagnostics: vscode.Diagnostic[];
      if (entry.tooLarge) {
        diagnostics = [
          this.notice(
            doc,
            'file_too_large',
            vscode.l10n.t('This workflow is larger than 5 MB, so live validation is off for it. Run "comfyui-workflow validate" on it instead.'),
          ),
        ];
      } else if (!entry.parsed && !entry.deferred) {
        diagnostics = [];
      } else {
        const definitions = this.o.definitions();
        if (!definitions) {
          // Without definitions every class would look unknown: say so once instead of flagging every node.
          diagnostics = [
            this.notice(
              doc,
              'no_node_definitions',
              vscode.l10n.t(
                'No ComfyUI node definitions yet, so this workflow is not checked. Connect to a server (comfyui.serverUrl) or point comfyui.objectInfoPath at an /object_info dump.',
              ),
            ),
          ];
        } else {
          const controller = new AbortController();
          const p = this.entry(doc);
          p.controller = controller;
          const problems = await this.o.validate({ ...entry, text: entry.parsed?.text ?? doc.getText() }, definitions, {
            locale: vscode.env.language,
            signal: controller.signal,
          });
          if (controller.signal.aborted || doc.isClosed || doc.version !== version) return; // stale: a newer run owns it
          p.controller = undefined;
          diagnostics = (problems ?? []).slice(0, MAX_DIAGNOSTICS).map((pr) => this.toDiagnostic(doc, pr));
          const total = problems ? Math.max(problems.total ?? 0, problems.length) : 0;
          if (total > MAX_DIAGNOSTICS) {
            diagnostics.push(
              this.notice(
                doc,
                'more_problems',
                vscode.l10n.t('{0} more problems are not shown. Run "comfyui-workflow validate" on this file to see them all.', total - MAX_DIAGNOSTICS),
              ),
            );
          }
        }
      }
      this.collection.set(doc.uri, diagnostics);
      this._onDidUpdate.fire({ uri: doc.uri, version, count: diagnostics.length, durationMs: performance.now() - started });
    } catch (error) {
      // A validator bug must not take the editor down; the log has the details.
      this.o.log.warn(`Validation of ${doc.uri.toString(true)} failed:`, error);
    }
  }

  private toDiagnostic(doc: vscode.TextDocument, p: EditorProblem): vscode.Diagnostic {
    const d = toDiagnostic(doc, p, DIAGNOSTIC_SOURCE, this.o.codeTarget(p.code));
    // Nodes no output reaches are skipped by the server: render them faded like unused code.
    if (p.code === 'unreachable_node') d.tags = [vscode.DiagnosticTag.Unnecessary];
    this.problems.set(d, p);
    return d;
  }

  private notice(doc: vscode.TextDocument, code: string, message: string): vscode.Diagnostic {
    // On the first character: visible in the Problems panel without painting the whole file.
    const range = { offset: 0, length: Math.min(1, doc.getText().length) };
    return toDiagnostic(doc, { range, message, code, severity: 'information' }, DIAGNOSTIC_SOURCE, this.o.codeTarget(code));
  }

  dispose(): void {
    for (const p of this.pending.values()) {
      p.run.cancel();
      p.controller?.abort();
    }
    this.pending.clear();
    for (const d of this.disposables) d.dispose();
  }
}
