// Quick fixes for the diagnostics of workflow files: the core (src/core/workflow/fixes.ts) computes edits from the
// problem behind each diagnostic (its `data`: expected values, suggestions, min/max, links); this adapter turns
// them into CodeActions bound to their diagnostics.
import * as vscode from 'vscode';
import { getQuickFixes } from '../../core/workflow/fixes';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import type { EditorProblem } from './diagnostics';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { toOffsetRange, toRange } from '../common/convert';

export class WorkflowCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly defs: () => NodeDefs | undefined,
    private readonly problemOf: (d: vscode.Diagnostic) => EditorProblem | undefined,
  ) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): vscode.CodeAction[] | undefined {
    if (context.only && !context.only.intersects(vscode.CodeActionKind.QuickFix)) return undefined;
    // VS Code asks on every cursor move: without one of our diagnostics there is nothing to fix, and a large
    // document must not be parsed on the host for nothing.
    if (!context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) return undefined;
    const entry = this.documents.workflow(doc);
    if (!entry || entry.format === 'ui') return undefined;
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      if (token.isCancellationRequested) return undefined;
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      // The controller remembers the full problem (with `data`); a diagnostic from elsewhere (e.g. restored by the
      // editor) falls back to its code and range, which still allows the simpler fixes.
      const problem = this.problemOf(diagnostic) ?? {
        code: typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code ?? ''),
        range: toOffsetRange(doc, diagnostic.range),
      };
      for (const fix of getQuickFixes(entry.parsed, this.defs(), problem, { locale: vscode.env.language })) {
        const key = fix.title + JSON.stringify(fix.edits);
        if (seen.has(key)) continue;
        seen.add(key);
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (fix.isPreferred) action.isPreferred = true;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) edit.replace(doc.uri, toRange(doc, e), e.newText);
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }
}
