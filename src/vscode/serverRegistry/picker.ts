// The active-server picker: a status bar item (shown once `comfyui.servers` lists servers) and the
// `comfyui.switchServer` command. Switching writes `comfyui.serverUrl` where its value comes from, so the editor's
// connection, node definitions and queue view follow through their usual settings listener.
import * as vscode from 'vscode';
import { SECTION } from '../common/config';
import type { ServerEntry, ServerRegistry } from './registry';
import { serverKey } from '../../core/comfy/url';

export const SWITCH_SERVER_COMMAND = 'comfyui.switchServer';

export class ServerPickerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('comfyui.serverPicker', vscode.StatusBarAlignment.Left, 99);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly registry: ServerRegistry) {
    this.item.name = vscode.l10n.t('ComfyUI Server Picker');
    this.item.command = SWITCH_SERVER_COMMAND;
    this.disposables.push(registry.onDidChange(() => this.render()));
    this.render();
  }

  render(): void {
    const list = this.registry.list();
    if (list.length === 0) {
      this.item.hide();
      return;
    }
    const active = this.registry.active();
    const key = serverKey(active.url);
    const current = list.find((e) => e.key === key);
    this.item.text = `$(server) ${current?.name ?? vscode.l10n.t('Other server')}`;
    this.item.tooltip = vscode.l10n.t('ComfyUI server: {0}. Click to switch.', current?.displayUrl ?? key ?? '');
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export type ServerItem = vscode.QuickPickItem & { entry: ServerEntry };

export function serverItems(registry: ServerRegistry): ServerItem[] {
  const activeKey = serverKey(registry.active().url);
  return registry.choices().map((entry) => ({
    label: `${entry.key === activeKey ? '$(check)' : '$(server)'} ${entry.name}`,
    description: entry.displayUrl,
    detail: entry.origin === 'workspace' ? vscode.l10n.t('From this workspace’s settings') : undefined,
    entry,
  }));
}

/** Asks which server to use; resolves to whether the active server changed. */
export async function switchServer(registry: ServerRegistry): Promise<boolean> {
  const other = vscode.l10n.t('Enter a URL…');
  const items: (vscode.QuickPickItem & { entry?: ServerEntry })[] = [...serverItems(registry), { label: `$(edit) ${other}` }];
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Switch ComfyUI Server'),
    placeHolder: vscode.l10n.t('Servers from the comfyui.servers setting'),
  });
  if (!pick) return false;
  if (!pick.entry) {
    await vscode.commands.executeCommand('comfyui.selectServer');
    return true;
  }
  return setActiveServer(pick.entry.url);
}

/** Makes `url` the active server; no-op when it already is. */
export async function setActiveServer(url: string): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (serverKey(config.get<string>('serverUrl') ?? '') === serverKey(url) && config.get<string>('serverUrl') === url) return false;
  const i = config.inspect<string>('serverUrl');
  // Write where the effective value comes from, so a workspace value does not silently shadow the choice.
  const target = vscode.workspace.isTrusted && i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('serverUrl', url, target);
  return true;
}
