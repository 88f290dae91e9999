// `ComfyUI: Set Server Credentials`: pick a server, a kind (bearer token, user + password, custom header, `token`
// query parameter) and type the secret into a password box. It goes to SecretStorage only; nothing is logged.
import * as vscode from 'vscode';
import type { Credential, CredentialKind, CredentialStore } from './credentials';
import type { ServerRegistry } from './registry';
import { serverItems } from './picker';

export const SET_CREDENTIALS_COMMAND = 'comfyui.setServerCredentials';

type KindItem = vscode.QuickPickItem & { credential: CredentialKind | 'remove' };

/** Resolves to the stored credential, `null` when removed, undefined when the user cancelled. */
export async function setServerCredentials(registry: ServerRegistry, store: CredentialStore): Promise<Credential | null | undefined> {
  const servers = serverItems(registry);
  const server =
    servers.length === 1
      ? servers[0]
      : await vscode.window.showQuickPick(servers, { title: vscode.l10n.t('Set Server Credentials'), placeHolder: vscode.l10n.t('Which server?') });
  if (!server) return undefined;
  const url = server.entry.url;
  const kinds: KindItem[] = [
    { label: vscode.l10n.t('Bearer token'), description: 'Authorization: Bearer …', credential: 'bearer' },
    { label: vscode.l10n.t('User name and password'), description: 'Authorization: Basic …', credential: 'basic' },
    { label: vscode.l10n.t('Custom header'), description: 'X-API-Key: …', credential: 'header' },
    { label: vscode.l10n.t('Token query parameter'), description: '?token=…', credential: 'query' },
  ];
  if (store.get(url)) kinds.push({ label: `$(trash) ${vscode.l10n.t('Remove stored credentials')}`, credential: 'remove' });
  const kind = await vscode.window.showQuickPick(kinds, { title: vscode.l10n.t('Credentials for {0}', server.entry.displayUrl) });
  if (!kind) return undefined;
  if (kind.credential === 'remove') {
    await store.set(url, undefined);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('ComfyUI: credentials removed for {0}', server.entry.displayUrl), 5000);
    return null;
  }
  let name: string | undefined;
  let username: string | undefined;
  if (kind.credential === 'header') {
    name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Header name'),
      value: 'X-API-Key',
      ignoreFocusOut: true,
      validateInput: (v) => (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v.trim()) ? undefined : vscode.l10n.t('Use a valid HTTP header name.')),
    });
    if (name === undefined) return undefined;
  }
  if (kind.credential === 'query') {
    name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Query parameter name'),
      value: 'token',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')),
    });
    if (name === undefined) return undefined;
  }
  if (kind.credential === 'basic') {
    username = await vscode.window.showInputBox({ title: vscode.l10n.t('User name'), ignoreFocusOut: true });
    if (username === undefined) return undefined;
  }
  const secret = await vscode.window.showInputBox({
    title: kind.credential === 'basic' ? vscode.l10n.t('Password') : vscode.l10n.t('Secret value'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter a value.')),
  });
  if (!secret) return undefined;
  const credential: Credential = {
    kind: kind.credential,
    secret,
    ...(name !== undefined ? { name: name.trim() } : {}),
    ...(username !== undefined ? { username } : {}),
  };
  await store.set(url, credential);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('ComfyUI: credentials stored for {0}', server.entry.displayUrl), 5000);
  return credential;
}
