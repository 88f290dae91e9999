// Completion in workflow files: class names at `class_type`, input names (with their defaults as snippets), combo
// values, link targets and whole-node skeletons, all computed by the core (src/core/workflow/complete.ts) from the
// current node definitions. This file only maps offsets and kinds to the editor's types.
import * as vscode from 'vscode';
import { getCompletions, type CompletionItem as CoreItem, type CompletionKind } from '../../core/workflow/complete';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { toRange } from '../common/convert';

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  class: vscode.CompletionItemKind.Class,
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  reference: vscode.CompletionItemKind.Reference,
  snippet: vscode.CompletionItemKind.Snippet,
  keyword: vscode.CompletionItemKind.Keyword,
  enumMember: vscode.CompletionItemKind.EnumMember,
};

/** `"` opens a key or value, `:` and ` ` follow a key, `[`/`,` start link elements. */
export const TRIGGER_CHARACTERS = ['"', ':', ' ', '[', ','];

export class WorkflowCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly defs: () => NodeDefs | undefined,
  ) {}

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.CompletionList | undefined {
    const entry = this.documents.workflow(doc);
    // UI graphs are edited in the ComfyUI canvas, not by hand: completion would only guess there.
    if (!entry || token.isCancellationRequested || (entry.format !== 'api' && entry.format !== 'request' && entry.format !== 'none')) return undefined;
    const list = getCompletions(entry.parsed, this.defs(), doc.offsetAt(position));
    if (list.items.length === 0) return undefined;
    return new vscode.CompletionList(list.items.map((i) => toCompletionItem(doc, i)), false);
  }
}

export function toCompletionItem(doc: vscode.TextDocument, i: CoreItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem(i.label, KINDS[i.kind]);
  item.insertText = i.isSnippet ? new vscode.SnippetString(i.insertText) : i.insertText;
  item.range = toRange(doc, i.range);
  if (i.detail) item.detail = i.detail;
  if (i.documentation) item.documentation = new vscode.MarkdownString(i.documentation);
  if (i.sortText) item.sortText = i.sortText;
  if (i.filterText) item.filterText = i.filterText;
  if (i.preselect) item.preselect = true;
  if (i.keepWhitespace) item.keepWhitespace = true;
  if (i.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
  if (i.additionalEdits?.length) item.additionalTextEdits = i.additionalEdits.map((e) => new vscode.TextEdit(toRange(doc, e), e.newText));
  if (i.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'Re-trigger completions' };
  return item;
}
