// The configured servers: `comfyui.servers` ([{name, url, headers?}]) plus the active `comfyui.serverUrl`, each
// tagged with where it came from. Where matters for security: a workspace is a downloaded folder, so a URL or a
// header from its .vscode/settings.json may point our credentials at someone else's machine. In an untrusted
// workspace workspace-level values are ignored (VS Code does that for restricted settings itself; we read
// `inspect()` so the rule also holds where it does not), and a stored secret only goes to a workspace-supplied URL
// after the user confirmed it (see credentials.ts).
import * as vscode from 'vscode';
import { displayServerUrl, serverKey } from '../../core/comfy/url';
import { SECTION } from '../common/config';

export type ServerOrigin = 'user' | 'workspace' | 'default';

export interface ServerEntry {
  name: string;
  /** As configured (may hold userinfo or a ?token=: never log it, show `displayUrl`). */
  url: string;
  displayUrl: string;
  /** Non-secret headers from the setting (e.g. a proxy's routing header). */
  headers: Record<string, string>;
  origin: ServerOrigin;
  /** Identity of the server for credentials and comparisons (scheme, host, port, path; no secrets). */
  key: string;
}

interface Inspected<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export class ServerRegistry implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** The list, the active URL or the trust state changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChange];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.servers`) || e.affectsConfiguration(`${SECTION}.serverUrl`)) this._onDidChange.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this._onDidChange.fire()),
    );
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Every usable server: user entries, then (trusted only) workspace entries; a workspace entry with a user entry's name replaces it. */
  list(): ServerEntry[] {
    const i = this.inspect<unknown>('servers');
    const out = new Map<string, ServerEntry>();
    const add = (value: unknown, origin: ServerOrigin) => {
      if (!Array.isArray(value)) return;
      for (const item of value) {
        const e = parseEntry(item, origin);
        if (e) out.set(e.name, e);
      }
    };
    add(i.defaultValue, 'default');
    add(i.globalValue, 'user');
    if (this.trusted) {
      add(i.workspaceValue, 'workspace');
      add(i.workspaceFolderValue, 'workspace');
    }
    return [...out.values()];
  }

  /** The active server URL (`comfyui.serverUrl`) as the trust rules see it, with its origin. */
  active(): { url: string; origin: ServerOrigin } {
    const i = this.inspect<unknown>('serverUrl');
    const pick = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const ws = this.trusted ? (pick(i.workspaceFolderValue) ?? pick(i.workspaceValue)) : undefined;
    if (ws) return { url: ws, origin: 'workspace' };
    const user = pick(i.globalValue);
    if (user) return { url: user, origin: 'user' };
    return { url: pick(i.defaultValue) ?? 'http://127.0.0.1:8188', origin: 'default' };
  }

  /**
   * Where a URL the connection is about to use came from. A URL the user configured (user settings, or the
   * built-in default) is theirs even if a workspace repeats it; anything else came from the workspace.
   */
  originOf(url: string): ServerOrigin {
    const key = serverKey(url);
    if (!key) return 'workspace';
    const i = this.inspect<unknown>('serverUrl');
    if (typeof i.globalValue === 'string' && serverKey(i.globalValue) === key) return 'user';
    const s = this.inspect<unknown>('servers');
    const userEntries = Array.isArray(s.globalValue) ? s.globalValue : [];
    if (userEntries.some((e) => parseEntry(e, 'user')?.key === key)) return 'user';
    if (typeof i.defaultValue === 'string' && serverKey(i.defaultValue) === key) return 'default';
    return 'workspace';
  }

  /** The entry of a URL (for its headers and name). Workspace entries are invisible while untrusted. */
  find(url: string): ServerEntry | undefined {
    const key = serverKey(url);
    return key ? this.list().find((e) => e.key === key) : undefined;
  }

  /** The servers offered by the pickers: the list, plus the active URL when it is not in it. */
  choices(): ServerEntry[] {
    const list = this.list();
    const active = this.active();
    const key = serverKey(active.url);
    if (key && !list.some((e) => e.key === key)) {
      list.unshift({ name: displayServerUrl(active.url), url: active.url, displayUrl: displayServerUrl(active.url), headers: {}, origin: active.origin, key });
    }
    return list;
  }

  private inspect<T>(key: string): Inspected<T> {
    return (vscode.workspace.getConfiguration(SECTION).inspect<T>(key) ?? {}) as Inspected<T>;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Header names that carry credentials: those belong in SecretStorage, never in settings. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key)$/i;

function parseEntry(item: unknown, origin: ServerOrigin): ServerEntry | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.url !== 'string') return undefined;
  const key = serverKey(o.url);
  if (!key) return undefined;
  const headers: Record<string, string> = {};
  if (typeof o.headers === 'object' && o.headers !== null && !Array.isArray(o.headers)) {
    for (const [k, v] of Object.entries(o.headers)) {
      // Drop credentials put in settings (they would be synced and committed); and header names must be tokens.
      if (typeof v === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && !SECRET_HEADER.test(k)) headers[k] = v;
    }
  }
  const name = typeof o.name === 'string' && o.name.trim() ? o.name.trim() : displayServerUrl(o.url);
  return { name, url: o.url.trim(), displayUrl: displayServerUrl(o.url), headers, origin, key };
}
