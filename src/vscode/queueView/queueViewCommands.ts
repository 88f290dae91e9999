// Commands of the Queue & History view (item context menus, title actions, clicks). Destructive ones ask first.
import * as vscode from 'vscode';
import { newPromptId } from '../../core/comfy/ids';
import type { QueueApi } from '../../core/queue/api';
import { attachedWorkflow, type QueueEntry } from '../../core/queue/entries';
import type { QueueModel } from '../../core/queue/queueModel';
import { cancelPrompt, submitPrompt } from '../../core/queue/submit';
import type { ServerQueueRef, TreeNode } from '../../core/queue/treeModel';
import { openOutput, type FileFetcher } from '../run/outputs';
import { openOutputFrom } from './remoteOutput';
import type { RunMonitor, RunLog } from '../run/runMonitor';
import type { SourceRegistry } from '../run/sources';
import type { RefreshController } from './refreshController';
import { registerGuardedCommand, requireClient } from '../common/commands';

export interface ViewCommandDeps {
  model: QueueModel;
  refresh: RefreshController;
  monitor: RunMonitor;
  sources: SourceRegistry;
  log: RunLog;
  client: () => (QueueApi & FileFetcher) | undefined;
  clientId: () => string;
  /** The view's current selection, for multi-select deletes. */
  selection: () => readonly TreeNode[];
  /**
   * The queue commands' last check (run/queueGuard.ts): Queue Again sends a prompt from a history the server (or
   * whoever queued it) controls, so it asks the same unsafe-node and workspace-trust questions.
   */
  beforeQueue?: (request: { fileName: string; root: unknown; server?: string }) => Promise<boolean>;
}

/** The non-active server a node belongs to (grouped view), or undefined for the active server's nodes. */
function remoteOf(node: unknown): ServerQueueRef | undefined {
  const ref = (node as TreeNode | undefined)?.server;
  return ref && !ref.active ? ref : undefined;
}

function remoteApi(ref: ServerQueueRef): QueueApi {
  if (!ref.api) throw new Error(vscode.l10n.t('The server {0} has no usable URL.', ref.name));
  return ref.api;
}

function entryOf(node: unknown): QueueEntry | undefined {
  const n = node as TreeNode | undefined;
  return n && (n.kind === 'entry' || n.kind === 'output' || n.kind === 'nodeError') ? n.entry : undefined;
}

async function confirm(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

export function registerQueueViewCommands(deps: ViewCommandDeps): vscode.Disposable[] {
  const { model, refresh, monitor, log } = deps;
  const api = (): QueueApi & FileFetcher => requireClient(deps.client());
  /** Wraps a handler: errors become one notification (cancellation stays silent), never an unhandled rejection. */
  const cmd = (id: string, fn: (...args: unknown[]) => Promise<unknown> | unknown) => registerGuardedCommand(id, fn, log);
  /**
   * The clicked node plus the rest of a multi-selection (VS Code passes both when the clicked node is selected),
   * per server: a grouped view's selection may span servers and each batch acts on its own server.
   * `undefined` stands for the active server.
   */
  const byServer = (node: unknown, nodes: unknown): Map<ServerQueueRef | undefined, QueueEntry[]> => {
    const list = Array.isArray(nodes) && nodes.length > 0 ? nodes : node ? [node] : deps.selection();
    const out = new Map<ServerQueueRef | undefined, QueueEntry[]>();
    const seen = new Set<string>();
    for (const n of list) {
      const e = entryOf(n);
      const ref = remoteOf(n);
      if (!e) continue;
      const id = `${ref?.key ?? ''}|${e.id}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.set(ref, [...(out.get(ref) ?? []), e]);
    }
    return out;
  };

  return [
    cmd('comfyui.queue.refresh', async (node) => {
      const ref = (node as TreeNode | undefined)?.server;
      // A server node or its offline item: that server only. The title button: every server (see RefreshController.alsoOnManual).
      if (ref) return ref.reload();
      await refresh.manual();
    }),
    cmd('comfyui.queue.loadMore', (node) => (remoteOf(node)?.model ?? model).loadMore()),
    cmd('comfyui.queue.cancel', async (node, nodes) => {
      for (const [ref, entries] of byServer(node, nodes)) {
        if (!ref) {
          for (const e of entries) await monitor.cancel(e.id);
          refresh.schedule('event', 0);
          continue;
        }
        // Runs on another server are not followed by this window's monitor: cancel them on their server directly.
        for (const e of entries) await cancelPrompt(remoteApi(ref), e.id);
        await ref.reload();
      }
    }),
    cmd('comfyui.queue.deletePending', async (node, nodes) => {
      for (const [ref, entries] of byServer(node, nodes)) {
        const ids = entries.filter((e) => e.status === 'pending').map((e) => e.id);
        if (ids.length === 0) continue;
        if (ref) {
          await remoteApi(ref).deleteFromQueue(ids);
          ref.model.forgetPending(ids);
          continue;
        }
        await api().deleteFromQueue(ids);
        model.forgetPending(ids);
        for (const id of ids) if (monitor.active.some((r) => r.promptId === id)) await monitor.cancel(id);
      }
    }),
    cmd('comfyui.queue.clearPending', async (node) => {
      const ref = remoteOf(node);
      const m = ref?.model ?? model;
      const n = m.pending.length;
      const where = ref ? ` (${ref.name})` : '';
      if (!(await confirm(vscode.l10n.t('Remove all {0} pending prompt(s) from the ComfyUI queue?', n) + where, vscode.l10n.t('Clear Pending')))) return;
      await (ref ? remoteApi(ref) : api()).clearQueue();
      m.forgetPending('all');
      if (ref) await ref.reload();
      else refresh.schedule('event', 0);
    }),
    cmd('comfyui.queue.deleteHistory', async (node, nodes) => {
      const batches = [...byServer(node, nodes)]
        .map(([ref, entries]) => [ref, entries.filter((e) => e.status !== 'running' && e.status !== 'pending').map((e) => e.id)] as const)
        .filter(([, ids]) => ids.length > 0);
      const count = batches.reduce((n, [, ids]) => n + ids.length, 0);
      if (count === 0) return;
      const msg =
        count === 1 ? vscode.l10n.t('Delete this run from the server’s history?') : vscode.l10n.t('Delete {0} runs from the server’s history?', count);
      if (!(await confirm(msg, vscode.l10n.t('Delete')))) return;
      for (const [ref, ids] of batches) {
        await (ref ? remoteApi(ref) : api()).deleteHistory(ids);
        (ref?.model ?? model).forgetHistory(ids);
      }
    }),
    cmd('comfyui.queue.clearHistory', async (node) => {
      const ref = remoteOf(node);
      const where = ref ? ` (${ref.name})` : '';
      if (!(await confirm(vscode.l10n.t('Clear the whole history of the ComfyUI server? Output files stay on disk.') + where, vscode.l10n.t('Clear History'))))
        return;
      await (ref ? remoteApi(ref) : api()).clearHistory();
      (ref?.model ?? model).forgetHistory('all');
    }),
    cmd('comfyui.queue.requeue', async (node) => {
      const e = entryOf(node);
      if (!e) return;
      const ref = remoteOf(node);
      const name = deps.sources.name(e.id) ?? vscode.l10n.t('prompt {0}', e.id);
      if (deps.beforeQueue && !(await deps.beforeQueue({ fileName: name, root: e.prompt, ...(ref ? { server: ref.name } : {}) }))) return;
      if (ref) {
        // Back onto the server it ran on. No client_id: this window's socket is on another server.
        const { client_id: _old, ...extra } = e.extraData;
        void _old;
        const res = await submitPrompt(remoteApi(ref), {
          prompt: e.prompt,
          prompt_id: newPromptId(),
          ...(Object.keys(extra).length ? { extra_data: extra } : {}),
        });
        const source = deps.sources.get(e.id);
        if (source) deps.sources.record(res.prompt_id, { ...source, queuedAt: Date.now() });
        await ref.reload();
        return;
      }
      const client = api();
      const { client_id: _old, ...extra } = e.extraData;
      void _old;
      const body = { prompt: e.prompt, prompt_id: newPromptId(), client_id: deps.clientId(), ...(Object.keys(extra).length ? { extra_data: extra } : {}) };
      const res = await submitPrompt(client, body);
      const source = deps.sources.get(e.id);
      if (source) deps.sources.record(res.prompt_id, { ...source, queuedAt: Date.now() });
      monitor.track(res.prompt_id, body.prompt, client);
      refresh.schedule('queued', 0);
    }),
    cmd('comfyui.queue.openPrompt', async (node) => {
      const e = entryOf(node);
      if (!e) return;
      const doc = await vscode.workspace.openTextDocument({ content: `${JSON.stringify(e.prompt, null, 2)}\n`, language: 'json' });
      await vscode.window.showTextDocument(doc);
    }),
    cmd('comfyui.queue.openWorkflow', async (node) => {
      const e = entryOf(node);
      const wf = e && attachedWorkflow(e);
      if (!wf) {
        void vscode.window.showInformationMessage(vscode.l10n.t('This run has no UI workflow attached (it was queued in API format).'));
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ content: `${JSON.stringify(wf, null, 2)}\n`, language: 'json' });
      await vscode.window.showTextDocument(doc);
    }),
    cmd('comfyui.queue.copyPromptId', async (node) => {
      const e = entryOf(node);
      if (e) await vscode.env.clipboard.writeText(e.id);
    }),
    cmd('comfyui.queue.openOutput', async (node) => {
      const n = node as TreeNode | undefined;
      if (n?.kind !== 'output') return;
      const ref = remoteOf(n);
      // The preview panel fetches from the active server: another server's file is fetched from that server.
      if (ref)
        return openOutputFrom(remoteApi(ref) as Partial<FileFetcher>, {
          promptId: n.entry.id,
          file: { filename: n.file.filename, subfolder: n.file.subfolder, type: n.file.type },
        });
      await openOutput(
        { promptId: n.entry.id, nodeId: n.file.nodeId, file: { filename: n.file.filename, subfolder: n.file.subfolder, type: n.file.type } },
        deps.client(),
      );
    }),
    cmd('comfyui.queue.showError', (node) => {
      const n = node as TreeNode | undefined;
      if (n?.kind !== 'nodeError') return;
      log.error(
        `Prompt ${n.entry.id}, node #${n.error.nodeId} (${n.error.nodeType}): ${n.error.exceptionType ?? 'Error'}: ${n.error.message}\n${(n.error.traceback ?? []).join('')}`,
      );
      log.show();
    }),
    cmd('comfyui.cancelRun', async () => {
      const runs = monitor.active;
      if (runs.length === 0) return;
      const msg =
        runs.length === 1
          ? vscode.l10n.t('Cancel the queued ComfyUI workflow?')
          : vscode.l10n.t('Cancel all {0} ComfyUI workflows queued from this window?', runs.length);
      if (await confirm(msg, vscode.l10n.t('Cancel Run'))) await monitor.cancelAll();
    }),
  ];
}
