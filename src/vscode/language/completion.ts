// Completion in workflow files: class names at `class_type`, input names (with their defaults as snippets), combo
// values, link targets and whole-node skeletons, all computed by the core (src/core/workflow/complete.ts) from the
// current node definitions. This file only maps offsets and kinds to the editor's types. A class item carries a
// short summary; the editor's resolve step (when the item is focused) swaps in the class's full description. The
// per-class cache is warmed in the background whenever the definitions change, so the first keystroke in a
// `class_type` value does not pay for normalizing 2,000 classes.
import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../core/util/clock';
import { getCompletions, resolveCompletionItem, warmCompletionCache, type CompletionItem as CoreItem, type CompletionKind } from '../../core/workflow/complete';
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
  /** The core item behind each class item handed out, for resolve (only class items have more to show). */
  private readonly classItems = new WeakMap<vscode.CompletionItem, CoreItem>();

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
    const items = list.items.map((i) => {
      const item = toCompletionItem(doc, i);
      if (i.kind === 'class') this.classItems.set(item, i);
      return item;
    });
    return new vscode.CompletionList(items, false);
  }

  resolveCompletionItem(item: vscode.CompletionItem, token: vscode.CancellationToken): vscode.CompletionItem {
    const core = this.classItems.get(item);
    if (!core || token.isCancellationRequested) return item;
    const resolved = resolveCompletionItem(core, this.defs());
    if (resolved.documentation && resolved.documentation !== core.documentation) item.documentation = new vscode.MarkdownString(resolved.documentation);
    return item;
  }
}

/**
 * Warms the completion cache of the current definitions now and again whenever they change, on timer turns off
 * the keystroke path; a change cancels the warming of the definitions it replaces.
 */
export function warmCompletionsOnChange(
  current: () => NodeDefs | undefined,
  onDidChange: vscode.Event<unknown>,
  clock: Clock = systemClock,
): vscode.Disposable {
  let running: AbortController | undefined;
  const warm = (): void => {
    running?.abort();
    const defs = current();
    if (!defs) return;
    running = new AbortController();
    void warmCompletionCache(defs, { clock, signal: running.signal });
  };
  warm();
  const subscription = onDidChange(warm);
  return new vscode.Disposable(() => {
    running?.abort();
    subscription.dispose();
  });
}

function toCompletionItem(doc: vscode.TextDocument, i: CoreItem): vscode.CompletionItem {
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
