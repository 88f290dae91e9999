// Actions on one pack or model: open its page (http/https only), copy its comfy-cli command. Never automatic.
import * as vscode from 'vscode';
import { modelDownloadCommand, nodeInstallCommand } from '../../core/packs/commands';
import type { ModelJson } from '../../core/packs/enrich';
import { packPageUrl, safeHttpUrl, type PackCandidate } from '../../core/packs/types';

export type ActionTarget = { pack: PackCandidate } | { model: ModelJson };

export function pageUrl(target: ActionTarget): string | undefined {
  return 'pack' in target ? packPageUrl(target.pack) : safeHttpUrl(target.model.url);
}

export function installCommand(target: ActionTarget): string | undefined {
  return 'pack' in target ? nodeInstallCommand(target.pack) : modelDownloadCommand(target.model);
}

/** Opens a pack's or model's page after checking it is an http(s) URL. */
export async function openPage(target: ActionTarget): Promise<void> {
  const url = pageUrl(target);
  if (!url) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No web page is known for it.'));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}

export async function copyCommand(target: ActionTarget): Promise<void> {
  const cmd = installCommand(target);
  if (!cmd) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no safe install command for it (no registry id, repository or download URL is known).'));
    return;
  }
  await vscode.env.clipboard.writeText(cmd);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied: {0}', cmd), 4000);
}
