// `ComfyUI: Show Server Info` (a read-only Markdown document) and `ComfyUI: Free Memory` (POST /free).
import * as vscode from 'vscode';
import type { ComfyClient } from '../../core/comfy/client';
import { isCancellation } from '../../core/comfy/errors';
import type { Logger } from '../../core/util/logger';
import type { HostServices } from '../host/index';
import { registerGuardedCommand, requireClient } from '../common/commands';
import { errorMessage } from '../../core/util/errorMessage';
import { serverInfoMarkdown, type Fetched } from './serverInfoMarkdown';

export const SERVER_INFO_SCHEME = 'comfyui-server-info';

export interface ServerInfoDeps {
  connection: { readonly client: ComfyClient | undefined; readonly displayUrl: string; readonly onDidChangeServer: vscode.Event<unknown> };
  log: Logger;
}

export function registerServerInfo(context: vscode.ExtensionContext, host: HostServices): void {
  context.subscriptions.push(...registerServerInfoFeatures({ connection: host.connection, log: host.log }));
}

class ServerInfoDocuments implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private text = '';
  set(uri: vscode.Uri, text: string): void {
    this.text = text;
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(): string {
    return this.text;
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

async function settle<T>(p: Promise<T>): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { ok: false, error: errorMessage(error) };
  }
}

export function registerServerInfoFeatures(deps: ServerInfoDeps): vscode.Disposable[] {
  const client = () => deps.connection.client;
  const cmd = (id: string, fn: (...args: unknown[]) => Promise<unknown>) => registerGuardedCommand(id, fn, deps.log);
  const infoDocs = new ServerInfoDocuments();
  return [
    infoDocs,
    vscode.workspace.registerTextDocumentContentProvider(SERVER_INFO_SCHEME, infoDocs),
    cmd('comfyui.showServerInfo', async () => {
      const c = requireClient(client());
      const markdown = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading ComfyUI server info…') },
        async () => {
          const [stats, extensions, features] = await Promise.all([settle(c.getSystemStats()), settle(c.getExtensions()), settle(c.getFeatures())]);
          if (!stats.ok && !extensions.ok && !features.ok) throw new Error(stats.error);
          return serverInfoMarkdown(c.displayUrl, stats, extensions, features);
        },
      );
      const uri = vscode.Uri.from({ scheme: SERVER_INFO_SCHEME, path: '/ComfyUI Server Info.md' });
      infoDocs.set(uri, markdown);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      return markdown;
    }),
    cmd('comfyui.freeMemory', async (arg) => {
      const c = requireClient(client());
      const a = (arg ?? {}) as { unloadModels?: boolean; freeMemory?: boolean };
      const what = { unloadModels: a.unloadModels ?? true, freeMemory: a.freeMemory ?? true };
      await c.free(what);
      void vscode.window.showInformationMessage(vscode.l10n.t('ComfyUI will unload its models and free cached memory once the current job is done.'));
      return what;
    }),
  ];
}
