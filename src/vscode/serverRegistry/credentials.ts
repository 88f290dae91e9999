// Server credentials in SecretStorage (the OS keychain), never in settings. One record per server key:
// a bearer token, a user + password (Basic), a custom header, or a `token` query parameter for proxies that only
// look at the URL. The connection asks synchronously when it builds a client, so records are mirrored in memory.
//
// The confirmation rule: a secret is sent to a URL that came from workspace settings only after the user said so
// for that exact server (remembered in globalState, i.e. per user, never in the workspace).
import * as vscode from 'vscode';
import type { ServerAuth } from '../host/connection';
import { serverKey } from '../../core/comfy/url';
import type { ServerOrigin } from './registry';

export type CredentialKind = 'bearer' | 'basic' | 'header' | 'query';

export interface Credential {
  kind: CredentialKind;
  /** Token, password or header value. */
  secret: string;
  /** Basic auth user. */
  username?: string;
  /** Header name (kind `header`) or query parameter name (kind `query`, default `token`). */
  name?: string;
}

const SECRET_PREFIX = 'comfyui.credentials:';
const INDEX_KEY = 'comfyui.credentials.index';
const CONFIRMED_KEY = 'comfyui.credentials.confirmedWorkspaceServers';

export interface CredentialStoreDeps {
  secrets: vscode.SecretStorage;
  /** User-level state: which server keys have stored credentials, which workspace URLs were confirmed. */
  globalState: vscode.Memento;
}

export class CredentialStore implements vscode.Disposable {
  private readonly cache = new Map<string, Credential>();
  private readonly _onDidChange = new vscode.EventEmitter<string>();
  /** Fires with the server key whose credentials changed (or were confirmed for a workspace URL). */
  readonly onDidChange = this._onDidChange.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChange];
  /** Resolves once the stored records were read into memory. */
  readonly ready: Promise<void>;

  constructor(private readonly deps: CredentialStoreDeps) {
    this.ready = this.load();
    this.disposables.push(
      deps.secrets.onDidChange((e) => {
        // Another window changed a record: re-read it.
        if (e.key.startsWith(SECRET_PREFIX)) void this.reload(e.key.slice(SECRET_PREFIX.length));
      }),
    );
  }

  private async load(): Promise<void> {
    const keys = this.deps.globalState.get<string[]>(INDEX_KEY, []);
    await Promise.all(keys.map((k) => this.reload(k, false)));
  }

  private async reload(key: string, fire = true): Promise<void> {
    try {
      const raw = await this.deps.secrets.get(SECRET_PREFIX + key);
      const parsed = raw ? parseCredential(raw) : undefined;
      if (parsed) this.cache.set(key, parsed);
      else this.cache.delete(key);
    } catch {
      // A locked or broken keychain: behave as if nothing is stored (the user can set it again).
      this.cache.delete(key);
    }
    if (fire) this._onDidChange.fire(key);
  }

  get(url: string): Credential | undefined {
    const key = serverKey(url);
    return key ? this.cache.get(key) : undefined;
  }

  async set(url: string, credential: Credential | undefined): Promise<void> {
    const key = serverKey(url);
    if (!key) throw new Error('This is not an http(s) server URL.');
    const index = new Set(this.deps.globalState.get<string[]>(INDEX_KEY, []));
    if (credential) {
      await this.deps.secrets.store(SECRET_PREFIX + key, JSON.stringify(credential));
      this.cache.set(key, credential);
      index.add(key);
    } else {
      await this.deps.secrets.delete(SECRET_PREFIX + key);
      this.cache.delete(key);
      index.delete(key);
    }
    await this.deps.globalState.update(INDEX_KEY, [...index]);
    this._onDidChange.fire(key);
  }

  isConfirmed(url: string): boolean {
    const key = serverKey(url);
    return key !== undefined && this.deps.globalState.get<string[]>(CONFIRMED_KEY, []).includes(key);
  }

  async confirm(url: string): Promise<void> {
    const key = serverKey(url);
    if (!key) return;
    const list = new Set(this.deps.globalState.get<string[]>(CONFIRMED_KEY, []));
    list.add(key);
    await this.deps.globalState.update(CONFIRMED_KEY, [...list]);
    this._onDidChange.fire(key);
  }

  /**
   * What to send to `url`: its headers/query with the credential, or `withheld` when the URL came from the
   * workspace and the user has not confirmed it yet (then nothing secret is attached).
   */
  authFor(url: string, origin: ServerOrigin, headers: Record<string, string> = {}): { auth: ServerAuth; withheld: boolean } {
    const credential = this.get(url);
    if (!credential) return { auth: { headers: { ...headers } }, withheld: false };
    if (origin === 'workspace' && !this.isConfirmed(url)) return { auth: { headers: { ...headers } }, withheld: true };
    return { auth: applyCredential(credential, headers), withheld: false };
  }

  /** Every secret value in memory, in the forms they take on the wire, for the log's redactor. */
  secretValues(): string[] {
    return [...this.cache.values()].flatMap(credentialSecrets);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function applyCredential(c: Credential, headers: Record<string, string> = {}): ServerAuth {
  const out: Record<string, string> = { ...headers };
  switch (c.kind) {
    case 'bearer':
      out['Authorization'] = `Bearer ${c.secret}`;
      return { headers: out };
    case 'basic':
      out['Authorization'] = `Basic ${Buffer.from(`${c.username ?? ''}:${c.secret}`, 'utf8').toString('base64')}`;
      return { headers: out };
    case 'header':
      out[c.name?.trim() || 'X-API-Key'] = c.secret;
      return { headers: out };
    case 'query':
      return { headers: out, query: { [c.name?.trim() || 'token']: c.secret } };
  }
}

export function credentialSecrets(c: Credential): string[] {
  const out = [c.secret, encodeURIComponent(c.secret)];
  if (c.kind === 'basic') out.push(Buffer.from(`${c.username ?? ''}:${c.secret}`, 'utf8').toString('base64'));
  return out.filter((s) => s.length > 0);
}

function parseCredential(raw: string): Credential | undefined {
  try {
    const o = JSON.parse(raw) as Partial<Credential>;
    if (!o || typeof o.secret !== 'string' || !['bearer', 'basic', 'header', 'query'].includes(o.kind as string)) return undefined;
    return {
      kind: o.kind as CredentialKind,
      secret: o.secret,
      ...(typeof o.username === 'string' ? { username: o.username } : {}),
      ...(typeof o.name === 'string' ? { name: o.name } : {}),
    };
  } catch {
    return undefined;
  }
}
