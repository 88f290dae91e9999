// The editor-side commands: refresh node definitions, pick a server, reconnect, use a dump file, the server menu
// (status bar click) and the log. Commands never throw at the user: failures become one notification with a way
// forward, cancellations stay silent.
import * as vscode from 'vscode';
import type { ServerConnection } from './connection';
import type { NodeDefsStore, RefreshResult } from './nodeDefsStore';
import type { ExtensionLog } from '../common/log';
import { registerGuardedCommand } from '../common/commands';
import { SECTION } from '../common/config';
import { formatAge } from '../common/format';
import { shortServerUrl } from '../../core/comfy/url';
import { errorMessage } from '../../core/util/errorMessage';

export interface CommandDeps {
  connection: ServerConnection;
  store: NodeDefsStore;
  log: ExtensionLog;
  /** The resolved dump file path when `comfyui.objectInfoPath` is set, else undefined. */
  dumpFile: () => string | undefined;
}

export const COMMANDS = {
  refresh: 'comfyui.refreshNodeDefinitions',
  selectServer: 'comfyui.selectServer',
  reconnect: 'comfyui.reconnect',
  useFile: 'comfyui.useObjectInfoFile',
  serverMenu: 'comfyui.showServerMenu',
  showLog: 'comfyui.showLog',
} as const;

export function registerEditorCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    registerGuardedCommand(COMMANDS.refresh, () => refreshDefinitions(deps, { interactive: true }), deps.log),
    registerGuardedCommand(COMMANDS.selectServer, () => selectServer(deps), deps.log),
    registerGuardedCommand(COMMANDS.reconnect, () => deps.connection.reconnect(), deps.log),
    registerGuardedCommand(COMMANDS.useFile, () => useObjectInfoFile(deps), deps.log),
    registerGuardedCommand(COMMANDS.serverMenu, () => showServerMenu(deps), deps.log),
    registerGuardedCommand(COMMANDS.showLog, () => deps.log.show(), deps.log),
  ];
}

/**
 * Re-reads the dump file, or fetches /object_info from the server. Interactive runs report the outcome; automatic
 * ones (on reconnect) only log. Resolves to whether fresh definitions were loaded.
 */
export async function refreshDefinitions(deps: CommandDeps, options: { interactive: boolean; restart?: boolean }): Promise<boolean> {
  const file = deps.dumpFile();
  if (file) {
    const ok = await deps.store.useFile(file);
    if (!ok && options.interactive && deps.store.lastError) void vscode.window.showErrorMessage(deps.store.lastError);
    return ok;
  }
  const server = shortServerUrl(deps.connection.displayUrl);
  if (!deps.connection.client) {
    if (options.interactive) void configureServerPrompt(deps, deps.connection.lastError ?? vscode.l10n.t('No usable ComfyUI server URL is configured.'));
    return false;
  }
  const result: RefreshResult = options.interactive
    ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Fetching node definitions from {0}…', server) }, () =>
        deps.store.refresh(),
      )
    : await deps.store.refresh({ restart: !!options.restart });
  if (result.ok) {
    if (options.interactive)
      void vscode.window.setStatusBarMessage(vscode.l10n.t('ComfyUI: {0} node definitions loaded from {1}', result.snapshot.classCount, server), 5000);
    return true;
  }
  if (result.cancelled || !options.interactive) return false;
  const current = deps.store.current;
  const keeping = current ? vscode.l10n.t('Keeping the definitions fetched {0}.', formatAge(current.fetchedAt)) : '';
  const message = vscode.l10n.t('Could not fetch node definitions from {0}: {1}', server, errorMessage(result.error));
  const retry = vscode.l10n.t('Retry');
  const configure = vscode.l10n.t('Configure Server');
  const pick = await vscode.window.showErrorMessage(`${message} ${keeping}`.trim(), retry, configure);
  if (pick === retry) return refreshDefinitions(deps, options);
  if (pick === configure) await vscode.commands.executeCommand(COMMANDS.selectServer);
  return false;
}

async function configureServerPrompt(deps: CommandDeps, message: string): Promise<void> {
  const configure = vscode.l10n.t('Configure Server');
  if ((await vscode.window.showErrorMessage(message, configure)) === configure) await selectServer(deps);
}

/** Asks for the server URL and stores it where the current value comes from (workspace or user settings). */
export async function selectServer(deps: CommandDeps): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<string>('serverUrl') ?? '';
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('ComfyUI server URL'),
    prompt: vscode.l10n.t('http(s) URL of your ComfyUI server, e.g. http://127.0.0.1:8188 or https://host/comfy/'),
    value: current,
    ignoreFocusOut: true,
    validateInput: validateServerUrl,
  });
  if (value === undefined || value.trim() === current) return;
  await config.update('serverUrl', value.trim(), targetFor(config, 'serverUrl'));
  deps.log.info('The server URL was changed from the server picker.');
}

export function validateServerUrl(value: string): string | undefined {
  const v = value.trim();
  if (!v) return vscode.l10n.t('Enter a URL such as http://127.0.0.1:8188');
  try {
    const u = new URL(v);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return vscode.l10n.t('Use an http:// or https:// URL.');
    return undefined;
  } catch {
    return vscode.l10n.t('This is not a valid URL.');
  }
}

async function useObjectInfoFile(deps: CommandDeps): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (deps.dumpFile()) {
    const choose = vscode.l10n.t('Choose another file…');
    const stop = vscode.l10n.t('Use the server again');
    const pick = await vscode.window.showQuickPick([choose, stop], { title: vscode.l10n.t('Node definitions from a dump file') });
    if (pick === stop) {
      await config.update('objectInfoPath', undefined, targetFor(config, 'objectInfoPath'));
      return;
    }
    if (pick !== choose) return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Use these node definitions'),
    filters: { JSON: ['json'] },
    title: vscode.l10n.t('Select an /object_info dump (JSON)'),
  });
  const uri = picked?.[0];
  if (!uri) return;
  await config.update('objectInfoPath', uri.fsPath, targetFor(config, 'objectInfoPath'));
}

async function showServerMenu(deps: CommandDeps): Promise<void> {
  type Item = vscode.QuickPickItem & { run: () => unknown };
  const c = deps.connection;
  const items: Item[] = [
    { label: `$(list-tree) ${vscode.l10n.t('Open Queue & History')}`, run: () => vscode.commands.executeCommand('workbench.view.extension.comfyui') },
    { label: `$(refresh) ${vscode.l10n.t('Refresh Node Definitions')}`, run: () => refreshDefinitions(deps, { interactive: true }) },
    { label: `$(debug-restart) ${vscode.l10n.t('Reconnect')}`, description: c.state === 'connected' ? undefined : c.lastError, run: () => c.reconnect() },
    { label: `$(server) ${vscode.l10n.t('Select Server…')}`, description: c.displayUrl, run: () => selectServer(deps) },
    { label: `$(file-code) ${vscode.l10n.t('Use Node Definitions from a File…')}`, description: deps.dumpFile(), run: () => useObjectInfoFile(deps) },
    { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => deps.log.show() },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `ComfyUI — ${shortServerUrl(c.displayUrl)}` });
  if (pick) await pick.run();
}

/** Writes a setting where its effective value comes from, so a workspace override is not silently shadowed. */
function targetFor(config: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  const i = config.inspect(key);
  return i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
