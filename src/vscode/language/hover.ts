// Hover in workflow files: class documentation on class_type values, input documentation (type, default, range,
// tooltip) on input keys and values, and where a link comes from. The Markdown is built by the core
// (src/core/workflow/hover.ts); this adapter maps the range and marks the hover as offline when the definitions
// come from the cache of an unreachable server.
import { escapeMarkdown } from '../../core/util/escape';
import * as vscode from 'vscode';
import { getHover } from '../../core/workflow/hover';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { toRange } from '../common/convert';

export class WorkflowHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly defs: () => NodeDefs | undefined,
    /** A one-line note appended to hovers, e.g. "offline: definitions from 2 h ago" (undefined for none). */
    private readonly note: () => string | undefined = () => undefined,
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const entry = this.documents.workflow(doc);
    if (!entry || token.isCancellationRequested || entry.format === 'ui') return undefined;
    const h = getHover(entry.parsed, this.defs(), doc.offsetAt(position));
    if (!h) return undefined;
    const md = new vscode.MarkdownString(h.contents);
    const note = this.note();
    if (note) md.appendMarkdown(`\n\n---\n\n_${escapeMarkdown(note)}_`);
    return new vscode.Hover(md, toRange(doc, h.range));
  }
}
