// ComfyUI: Install Missing Node Packs… — when the server runs ComfyUI-Manager or has the assets download API. Lists
// the packs (versions the workflow was saved with, Manager's risk and the registry's flags) and the models the server
// can download — through its assets API (POST /api/assets/download) when it has one, else Manager's model install —
// asks once (and a second time, naming the server, for an untrusted workspace or a server on another machine),
// queues the work, follows Manager's queue and the downloads' progress, and says what to do next (restart for new
// node packs, refresh the node definitions for new models).
import * as vscode from 'vscode';
import { isCancellation, isComfyError } from '../../core/comfy/errors';
import {
  AssetsDownloadError,
  cancelAssetTask,
  followAssetDownload,
  isTerminal,
  parseAssetDownloadEvent,
  startAssetDownload,
  type AssetTaskState,
} from '../../core/packs/assets';
import { safeHttpUrl } from '../../core/packs/types';
import { formatBytes } from '../../core/util/display';
import {
  findManagerModel,
  followManagerQueue,
  ManagerRefusedError,
  planInstalls,
  queueInstalls,
  queueModelInstall,
  type ManagerModelEntry,
} from '../../core/packs/manager';
import type { HostServices } from '../host/index';
import { packsToInstall, type MissingItem, type MissingModel } from './items';
import type { PackService } from './packService';
import { baseName } from '../../core/util/display';

/** True for loopback hosts: installs there need no second question about where they run. */
export function isLocalServer(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
  } catch {
    return false;
  }
}

/** One line of text from a server or a file, for a dialog (no control characters, bounded). */
function line(s: string): string {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

/** A model the server can download through its assets API: a safe URL and a folder are known, and no installed file looks like it. */
interface AssetPlan {
  name: string;
  url: string;
  folder: string;
}

function assetPlan(item: MissingModel): AssetPlan | undefined {
  const url = safeHttpUrl(item.model.url);
  const folder = item.model.directory;
  if (!url || !folder || item.lookalikes.length > 0) return undefined;
  return { name: item.model.name, url, folder };
}

/** Plans the work for one workflow's missing items on the active server; runs it after the questions. */
export async function installMissing(host: HostServices, packs: PackService, items: readonly MissingItem[]): Promise<void> {
  const server = host.connection.displayUrl;
  const manager = packs.manager ?? (await packs.loadManager());
  const assets = packs.assets ?? (await packs.loadAssets());
  const assetsClient = assets?.available ? host.connection.client : undefined;
  const models = items.filter((i): i is MissingModel => i.kind === 'model' && i.lookalikes.length === 0);
  // The assets API where the server has it; Manager's model list for the rest.
  const assetPlans: AssetPlan[] = [];
  const viaManager: MissingModel[] = [];
  for (const m of models) {
    const plan = assetsClient ? assetPlan(m) : undefined;
    if (plan) assetPlans.push(plan);
    else viaManager.push(m);
  }
  if (!manager && assetPlans.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'ComfyUI-Manager is not running on {0}, so packs cannot be installed from here. Copy the install commands from Show Missing Nodes and Models instead.',
        server,
      ),
    );
    return;
  }
  const plans = manager ? planInstalls(packsToInstall(items).map((p) => p.pack)) : [];
  const modelEntries: ManagerModelEntry[] = [];
  if (manager) {
    for (const item of viaManager) {
      try {
        const entry = await findManagerModel(manager.client, manager.info, item.model, { timeoutMs: 30_000 });
        if (entry) modelEntries.push(entry);
      } catch (e) {
        host.log.debug(`Manager model list: ${isComfyError(e) ? e.message : String(e)}`);
      }
    }
  }
  if (plans.length === 0 && modelEntries.length === 0 && assetPlans.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Nothing to install: no pack is known for the missing node types, and ComfyUI-Manager lists none of the missing models.'),
    );
    return;
  }
  const packsWithoutManager = manager ? 0 : packsToInstall(items).length;
  const detail = [
    ...plans.map((p) => {
      const version = p.selectedVersion === 'unknown' ? '' : p.selectedVersion;
      const impossible = p.impossible ? ` — ${vscode.l10n.t('cannot be installed: {0}', p.impossible)}` : '';
      return `• ${line(p.pack.title)} ${version}${impossible}\n   ${p.flags.map(line).join('; ')}`;
    }),
    ...modelEntries.map((m) => `• ${line(m.filename)} → models/${line(m.save_path)} (${vscode.l10n.t('ComfyUI-Manager')})\n   ${line(m.url)}`),
    ...assetPlans.map((m) => `• ${line(m.name)} → models/${line(m.folder)} (${vscode.l10n.t('the server’s assets API')})\n   ${line(m.url)}`),
    ...(packsWithoutManager > 0
      ? [vscode.l10n.t('{0} node pack(s) cannot be installed here: ComfyUI-Manager is not running on the server.', packsWithoutManager)]
      : []),
  ].join('\n');
  const install = vscode.l10n.t('Install');
  const packCount = plans.filter((p) => !p.impossible).length;
  const question =
    assetPlans.length === 0
      ? vscode.l10n.t(
          'Install {0} node pack(s) and {1} model(s) on {2} through ComfyUI-Manager? Node packs run code on that server.',
          packCount,
          modelEntries.length,
          server,
        )
      : packCount + modelEntries.length === 0
        ? vscode.l10n.t('Download {0} model(s) to {1} through its assets API? The server fetches the files from the URLs below.', assetPlans.length, server)
        : vscode.l10n.t(
            'Install {0} node pack(s) and {1} model(s) on {2} through ComfyUI-Manager, and download {3} model(s) through the server’s assets API? Node packs run code on that server.',
            packCount,
            modelEntries.length,
            server,
            assetPlans.length,
          );
  const pick = await vscode.window.showWarningMessage(question, { modal: true, detail }, install);
  if (pick !== install) return;
  if (!vscode.workspace.isTrusted || !isLocalServer(server)) {
    const again = vscode.l10n.t('Install on {0}', server);
    const why = !vscode.workspace.isTrusted
      ? vscode.l10n.t('This workspace is not trusted, and the workflow decides what gets installed.')
      : vscode.l10n.t('{0} is not on this computer.', server);
    const sure = await vscode.window.showWarningMessage(
      packCount + modelEntries.length > 0
        ? vscode.l10n.t('{0} Install these packs on {1} anyway?', why, server)
        : vscode.l10n.t('{0} Download these models to {1} anyway?', why, server),
      { modal: true },
      again,
    );
    if (sure !== again) return;
  }
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: packCount + modelEntries.length > 0 ? vscode.l10n.t('ComfyUI-Manager on {0}', server) : vscode.l10n.t('Model downloads on {0}', server),
      cancellable: true,
    },
    async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      // Manager's queue and the server's downloads run side by side; each reports its own outcome.
      const outcomes = await Promise.allSettled([
        runManager(host, manager, plans, modelEntries, ac.signal, progress),
        assetsClient && assetPlans.length ? startDownloads(host, assetsClient, assetPlans, ac.signal, progress) : Promise.resolve(),
      ]);
      for (const o of outcomes) {
        if (o.status === 'fulfilled') continue;
        const e: unknown = o.reason;
        if (isCancellation(e) || ac.signal.aborted) continue;
        void vscode.window.showErrorMessage(e instanceof ManagerRefusedError || e instanceof AssetsDownloadError || isComfyError(e) ? e.message : String(e));
      }
    },
  );
}

function statusText(s: AssetTaskState['status']): string {
  switch (s) {
    case 'created':
      return vscode.l10n.t('waiting');
    case 'running':
      return vscode.l10n.t('downloading');
    case 'completed':
      return vscode.l10n.t('done');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'cancelled':
      return vscode.l10n.t('cancelled');
  }
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** Manager's part: packs and the models on its list; the closing message names the restart. */
async function runManager(
  host: HostServices,
  manager: Awaited<ReturnType<PackService['loadManager']>>,
  plans: ReturnType<typeof planInstalls>,
  modelEntries: readonly ManagerModelEntry[],
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  if (!manager || plans.length + modelEntries.length === 0) return;
  const server = host.connection.displayUrl;
  progress.report({ message: vscode.l10n.t('Queueing installs…') });
  const result = plans.length ? await queueInstalls(manager.client, manager.info, plans, host.connection.clientId, { signal }) : { queued: [], refused: [] };
  let modelsQueued = 0;
  for (const m of modelEntries) {
    try {
      await queueModelInstall(manager.client, manager.info, m, host.connection.clientId, { signal });
      modelsQueued++;
    } catch (e) {
      if (e instanceof ManagerRefusedError)
        result.refused.push({
          plan: { pack: { title: m.filename, source: 'manager' }, id: m.filename, selectedVersion: '', flags: [] },
          reason: e.message,
        });
      else throw e;
    }
  }
  if (result.queued.length + modelsQueued > 0) {
    await followManagerQueue(manager.client, manager.info, {
      signal,
      clientId: host.connection.clientId,
      onProgress: (s) => progress.report({ message: vscode.l10n.t('{0} of {1} done', s.done, Math.max(s.total, 1)) }),
    });
  }
  const refused = result.refused.map((r) => `${line(r.plan.pack.title)}: ${line(r.reason)}`).join('\n');
  if (result.queued.length + modelsQueued > 0) {
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'ComfyUI-Manager finished {0} install(s) on {1}. Restart the ComfyUI server to load new node packs, then refresh the node definitions.',
          result.queued.length + modelsQueued,
          server,
        ),
        ...(refused ? [{ title: vscode.l10n.t('Show Refusals'), detail: refused }] : []),
      )
      .then((b) => {
        if (b && 'detail' in b) void vscode.window.showWarningMessage(b.detail, { modal: true });
      });
  } else if (refused) void vscode.window.showWarningMessage(vscode.l10n.t('ComfyUI-Manager installed nothing.'), { modal: true, detail: refused });
}

/**
 * The assets API's part: asks the server for every download, then follows them all (the server's `asset_download`
 * events, else its task route). Cancelling the notification cancels the downloads still running.
 */
async function startDownloads(
  host: HostServices,
  client: NonNullable<HostServices['connection']['client']>,
  plans: readonly AssetPlan[],
  signal: AbortSignal,
  progress: Progress,
): Promise<void> {
  const server = host.connection.displayUrl;
  const listeners = new Set<(s: AssetTaskState) => void>();
  const sub = host.connection.onMessage((m) => {
    if (m.type !== 'unknown' || m.messageType !== 'asset_download') return;
    const s = parseAssetDownloadEvent(m.data);
    if (s) for (const l of listeners) l(s);
  });
  const states = new Map<string, { plan: AssetPlan; state?: AssetTaskState }>();
  const failed: string[] = [];
  let existed = 0;
  const report = (): void => {
    const parts = [...states.values()].map(({ plan, state }) => {
      const name = line(baseName(plan.name));
      if (!state) return `${name}: ${statusText('created')}`;
      if (state.fraction !== undefined && !isTerminal(state.status))
        return state.bytesTotal
          ? vscode.l10n.t('{0}: {1}% of {2}', name, Math.round(state.fraction * 100), formatBytes(state.bytesTotal))
          : vscode.l10n.t('{0}: {1}%', name, Math.round(state.fraction * 100));
      return `${name}: ${statusText(state.status)}`;
    });
    progress.report({ message: parts.join(' · ') });
  };
  try {
    progress.report({ message: vscode.l10n.t('Asking the server to download {0} model(s)…', plans.length) });
    for (const plan of plans) {
      try {
        const start = await startAssetDownload(client, { url: plan.url, folder: plan.folder, filename: plan.name }, { signal, timeoutMs: 30_000 });
        if (start.kind === 'exists') existed++;
        else states.set(start.taskId, { plan, state: { taskId: start.taskId, status: start.status } });
      } catch (e) {
        if (!(e instanceof AssetsDownloadError)) throw e;
        failed.push(`${line(plan.name)}: ${line(e.message)}`);
      }
    }
    report();
    const ends = await Promise.all(
      [...states.keys()].map((taskId) =>
        followAssetDownload(client, taskId, {
          signal,
          subscribe: (l) => {
            listeners.add(l);
            return () => listeners.delete(l);
          },
          onProgress: (s) => {
            const entry = states.get(taskId);
            if (entry) entry.state = s;
            report();
          },
        }).catch(async (e: unknown) => {
          if (signal.aborted) {
            // The user cancelled: stop the server's download too (best effort, briefly).
            await cancelAssetTask(client, taskId, { timeoutMs: 5000 }).catch(() => false);
          }
          throw e;
        }),
      ),
    );
    for (const end of ends) {
      const plan = states.get(end.taskId)!.plan;
      if (end.status !== 'completed') failed.push(`${line(plan.name)}: ${line(end.error ?? end.status)}`);
    }
  } finally {
    sub.dispose();
  }
  const done = [...states.values()].filter((s) => s.state?.status === 'completed').length + existed;
  const refresh = vscode.l10n.t('Refresh Node Definitions');
  if (done > 0) {
    void vscode.window
      .showInformationMessage(
        failed.length
          ? vscode.l10n.t('{0} downloaded {1} model(s); {2} failed: {3}.', server, done, failed.length, failed.join('; '))
          : vscode.l10n.t('{0} downloaded {1} model(s). Refresh the node definitions to use them.', server, done),
        refresh,
      )
      .then((b) => (b === refresh ? vscode.commands.executeCommand('comfyui.refreshNodeDefinitions') : undefined));
  } else if (failed.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The server downloaded no model.'), { modal: true, detail: failed.join('\n') });
  }
}
