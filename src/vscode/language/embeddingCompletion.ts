// Completion of `embedding:<name>` inside text inputs (CLIPTextEncode's prompt and other STRING widgets), from
// GET /embeddings. The list is cached per server for a minute.
import * as vscode from 'vscode';
import type { ComfyClient } from '../../core/comfy/client';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { toRange, tokenToSignal } from '../common/convert';
import { stringInputAt } from './stringInputAt';

const TTL_MS = 60_000;

/** The `embedding:` prefix just before the cursor inside a JSON string, and the partial name typed after it. */
export function embeddingPrefix(rawBeforeCursor: string): { partial: string } | undefined {
  const m = /(?:^|[\s,([{|])embedding:([^\s,()"\\:]*)$/i.exec(rawBeforeCursor);
  return m ? { partial: m[1]! } : undefined;
}

export class EmbeddingCompletionProvider implements vscode.CompletionItemProvider, vscode.Disposable {
  private cached: { server: string; at: number; names: Promise<string[]> } | undefined;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly client: () => ComfyClient | undefined,
    private readonly defs: () => NodeDefs | undefined,
    onDidChangeServer: vscode.Event<unknown>,
  ) {
    this.sub = onDidChangeServer(() => (this.cached = undefined));
  }

  async provideCompletionItems(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.CompletionItem[] | undefined> {
    const at = stringInputAt(this.documents, doc, position);
    if (!at) return undefined;
    const { node, input, offset, range: r } = at;
    // Strictly inside the quotes: completing needs a place in the string.
    if (offset <= r.offset || offset >= r.offset + r.length) return undefined;
    const def = node.classType ? this.defs()?.get(node.classType)?.inputByName.get(input.name) : undefined;
    if (def && def.kind !== 'STRING') return undefined;
    const before = doc.getText().slice(r.offset + 1, offset);
    const prefix = embeddingPrefix(before);
    const client = this.client();
    if (!prefix || !client) return undefined;
    const names = await this.names(client, token);
    if (!names || token.isCancellationRequested) return undefined;
    // Replace the rest of the name too when completing in the middle of one.
    const after = /^[^\s,()"\\:]*/.exec(doc.getText().slice(offset, r.offset + r.length - 1))![0];
    const range = toRange(doc, { offset: offset - prefix.partial.length, length: prefix.partial.length + after.length });
    return names.map((name) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Value);
      // Inside a JSON string: quotes and backslashes of a name must be escaped.
      item.insertText = JSON.stringify(name).slice(1, -1);
      item.range = range;
      item.detail = vscode.l10n.t('Textual inversion embedding');
      item.filterText = name;
      return item;
    });
  }

  private async names(client: ComfyClient, token: vscode.CancellationToken): Promise<string[] | undefined> {
    const now = Date.now();
    if (!this.cached || this.cached.server !== client.displayUrl || now - this.cached.at > TTL_MS) {
      const { signal, dispose } = tokenToSignal(token);
      const names = client.getEmbeddings({ signal, timeoutMs: 10_000 }).finally(dispose);
      this.cached = { server: client.displayUrl, at: now, names };
      names.catch(() => (this.cached = undefined));
    }
    try {
      return await this.cached.names;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.sub.dispose();
  }
}
