// Hover on a model file name (ckpt_name, lora_name, vae_name …): what its safetensors header says, from
// GET /view_metadata/{folder}?filename= (base model, resolution, trigger words, training tags). Answers are cached
// per server, including "no metadata" (404), so moving the mouse does not hammer the server.
import * as vscode from 'vscode';
import type { ComfyClient } from '../../core/comfy/client';
import { isCancellation, isHttpError } from '../../core/comfy/errors';
import { modelSummaryMarkdown, summarizeModelMetadata } from '../../core/media/safetensors';
import { escapeMarkdown } from '../../core/util/escape';
import type { WorkflowDocuments } from '../host/workflowDocuments';
import { toRange, tokenToSignal } from '../common/convert';
import { modelFolderFor } from './modelFolders';
import { stringInputAt } from './stringInputAt';
import { errorMessage } from '../../core/util/errorMessage';

type Answer = { kind: 'metadata'; meta: Record<string, unknown> } | { kind: 'none' } | { kind: 'error'; message: string };

export class ModelMetadataHoverProvider implements vscode.HoverProvider, vscode.Disposable {
  private readonly cache = new Map<string, Promise<Answer>>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly documents: WorkflowDocuments,
    private readonly client: () => ComfyClient | undefined,
    onDidChangeServer: vscode.Event<unknown>,
  ) {
    this.sub = onDidChangeServer(() => this.cache.clear());
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const at = stringInputAt(this.documents, doc, position);
    if (!at) return undefined;
    const { node, input, value, offset, range: r } = at;
    if (offset < r.offset || offset > r.offset + r.length) return undefined;
    const folder = modelFolderFor(node.classType, input.name);
    const client = this.client();
    // The server only reads metadata of .safetensors files.
    if (!folder || !client || !/\.safetensors$/i.test(value)) return undefined;
    const answer = await this.lookup(client, folder, value, token);
    if (!answer || token.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString();
    if (answer.kind === 'metadata') md.appendMarkdown(modelSummaryMarkdown(value, summarizeModelMetadata(answer.meta)));
    else if (answer.kind === 'none')
      md.appendMarkdown(
        `**${escapeMarkdown(value)}**\n\n${escapeMarkdown(vscode.l10n.t('No metadata: the file has no safetensors header metadata (or the server does not have it in {0}).', folder))}`,
      );
    else md.appendMarkdown(escapeMarkdown(answer.message));
    return new vscode.Hover(md, toRange(doc, r));
  }

  private async lookup(client: ComfyClient, folder: string, filename: string, token: vscode.CancellationToken): Promise<Answer | undefined> {
    const key = `${client.displayUrl}\n${folder}\n${filename}`;
    let p = this.cache.get(key);
    if (!p) {
      const { signal, dispose } = tokenToSignal(token);
      p = client
        .viewMetadata(folder, filename, { signal, timeoutMs: 10_000 })
        .then(
          (meta): Answer => ({ kind: 'metadata', meta }),
          (error: unknown): Answer => {
            if (isHttpError(error, 404)) return { kind: 'none' };
            if (isCancellation(error)) throw error;
            return { kind: 'error', message: errorMessage(error) };
          },
        )
        .finally(dispose);
      this.cache.set(key, p);
      // Errors other than 404 may be transient: do not keep them.
      void p.then(
        (a) => a.kind === 'error' && this.cache.delete(key),
        () => this.cache.delete(key),
      );
    }
    try {
      return await p;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.cache.clear();
  }
}
