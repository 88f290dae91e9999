// Conversions between the core's vocabulary (offsets, problems, AbortSignals) and the editor's (Range,
// Diagnostic, CancellationToken). Nothing else in src/vscode builds a Range from an offset or a Diagnostic from a
// core problem by hand.
import * as vscode from 'vscode';
import type { OffsetRange } from '../../core/workflow/document';
import type { Severity as ProblemSeverity } from '../../core/workflow/validate';

export type { OffsetRange, ProblemSeverity };

export function toRange(doc: vscode.TextDocument, r: OffsetRange): vscode.Range {
  return new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + Math.max(0, r.length)));
}

export function toOffsetRange(doc: vscode.TextDocument, range: vscode.Range): OffsetRange {
  const offset = doc.offsetAt(range.start);
  return { offset, length: doc.offsetAt(range.end) - offset };
}

export function toSeverity(s: ProblemSeverity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** What every core problem has that a Diagnostic shows (validation, unsafe nodes, the server's verdicts). */
export interface DiagnosableProblem {
  range: OffsetRange;
  message: string;
  code: string;
  /** Default: error (the server's verdicts carry none: the server rejected the prompt). */
  severity?: ProblemSeverity;
}

/**
 * A core problem as an editor Diagnostic, tagged with its collection's `source`; the code links to its explanation
 * when `codeTarget` is given.
 */
export function toDiagnostic(doc: vscode.TextDocument, p: DiagnosableProblem, source: string, codeTarget?: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(doc, p.range), p.message, toSeverity(p.severity ?? 'error'));
  d.source = source;
  d.code = codeTarget ? { value: p.code, target: codeTarget } : p.code;
  return d;
}

/**
 * An AbortSignal that aborts when the token is cancelled. The listener is removed by `dispose` so long-lived tokens
 * do not accumulate listeners.
 */
export function tokenToSignal(token: vscode.CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (!token) return { signal: controller.signal, dispose: () => {} };
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}
