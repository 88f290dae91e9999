// ComfyUI: Install Missing Node Packs… — only when the server runs ComfyUI-Manager. Lists the packs (versions the
// workflow was saved with, Manager's risk and the registry's flags) and the models Manager can download, asks once
// (and a second time, naming the server, for an untrusted workspace or a server on another machine), queues the
// installs through Manager's API, follows its queue, and says the server must restart to load the new nodes.
import * as vscode from 'vscode';
import { isCancellation, isComfyError } from '../../core/comfy/errors';
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
import { packsToInstall, type MissingItem } from './items';
import type { PackService } from './packService';

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

export async function installMissing(host: HostServices, packs: PackService, items: readonly MissingItem[]): Promise<void> {
  const server = host.connection.displayUrl;
  const manager = packs.manager ?? (await packs.loadManager());
  if (!manager) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'ComfyUI-Manager is not running on {0}, so packs cannot be installed from here. Copy the install commands from Show Missing Nodes and Models instead.',
        server,
      ),
    );
    return;
  }
  const plans = planInstalls(packsToInstall(items).map((p) => p.pack));
  const modelEntries: ManagerModelEntry[] = [];
  for (const item of items) {
    if (item.kind !== 'model') continue;
    try {
      const entry = await findManagerModel(manager.client, manager.info, item.model, { timeoutMs: 30_000 });
      if (entry) modelEntries.push(entry);
    } catch (e) {
      host.log.debug(`Manager model list: ${isComfyError(e) ? e.message : String(e)}`);
    }
  }
  if (plans.length === 0 && modelEntries.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Nothing to install: no pack is known for the missing node types, and ComfyUI-Manager lists none of the missing models.'),
    );
    return;
  }
  const detail = [
    ...plans.map(
      (p) =>
        `• ${line(p.pack.title)} ${p.selectedVersion === 'unknown' ? '' : p.selectedVersion}${p.impossible ? ` — ${vscode.l10n.t('cannot be installed: {0}', p.impossible)}` : ''}\n   ${p.flags.map(line).join('; ')}`,
    ),
    ...modelEntries.map((m) => `• ${line(m.filename)} → models/${line(m.save_path)}\n   ${line(m.url)}`),
  ].join('\n');
  const install = vscode.l10n.t('Install');
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Install {0} node pack(s) and {1} model(s) on {2} through ComfyUI-Manager? Node packs run code on that server.',
      plans.filter((p) => !p.impossible).length,
      modelEntries.length,
      server,
    ),
    { modal: true, detail },
    install,
  );
  if (pick !== install) return;
  if (!vscode.workspace.isTrusted || !isLocalServer(server)) {
    const again = vscode.l10n.t('Install on {0}', server);
    const why = !vscode.workspace.isTrusted
      ? vscode.l10n.t('This workspace is not trusted, and the workflow decides what gets installed.')
      : vscode.l10n.t('{0} is not on this computer.', server);
    const sure = await vscode.window.showWarningMessage(vscode.l10n.t('{0} Install these packs on {1} anyway?', why, server), { modal: true }, again);
    if (sure !== again) return;
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('ComfyUI-Manager on {0}', server), cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      try {
        progress.report({ message: vscode.l10n.t('Queueing installs…') });
        const result = plans.length
          ? await queueInstalls(manager.client, manager.info, plans, host.connection.clientId, { signal: ac.signal })
          : { queued: [], refused: [] };
        let modelsQueued = 0;
        for (const m of modelEntries) {
          try {
            await queueModelInstall(manager.client, manager.info, m, host.connection.clientId, { signal: ac.signal });
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
            signal: ac.signal,
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
      } catch (e) {
        if (isCancellation(e) || ac.signal.aborted) return;
        void vscode.window.showErrorMessage(e instanceof ManagerRefusedError || isComfyError(e) ? e.message : String(e));
      }
    },
  );
}
