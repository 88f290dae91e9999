// Connects the registry and the credential store to the ServerConnection: the resolver it calls whenever it builds
// a client, the log's list of secrets to mask, and the one-time question before a stored secret goes to a URL that
// came from workspace settings.
import * as vscode from 'vscode';
import type { ServerAuth, ServerConnection } from '../host/connection';
import type { ExtensionLog } from '../common/log';
import type { CredentialStore } from './credentials';
import { displayServerUrl, serverKey } from '../../core/comfy/url';
import type { ServerRegistry } from './registry';

export class ServerAuthController implements vscode.Disposable {
  /** Server keys asked about in this session (one question per server, not one per reconnect). */
  private readonly asked = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly registry: ServerRegistry,
    private readonly credentials: CredentialStore,
    private readonly connection: Pick<ServerConnection, 'setAuthResolver'>,
    private readonly log: Pick<ExtensionLog, 'setSecrets' | 'info' | 'warn'>,
  ) {
    this.updateSecrets();
    this.refresh();
    this.disposables.push(
      credentials.onDidChange(() => {
        this.updateSecrets();
        this.refresh();
      }),
      // Headers of the active entry, or trust, may have changed; a plain URL change is the editor's to apply.
      registry.onDidChange(() => this.refresh()),
    );
    // Records load asynchronously: the first client may have been built before they were in memory.
    void credentials.ready.then(() => {
      this.updateSecrets();
      this.refresh();
    });
  }

  /** Re-announces the resolver: the connection rebuilds its client and socket only if what it sends changes. */
  private refresh(): void {
    this.connection.setAuthResolver(this.resolver);
  }

  private readonly resolver = (url: string): ServerAuth | undefined => this.resolve(url);

  /** What the connection sends to `url` (also used by dispatch for its probe clients). */
  resolve(url: string): ServerAuth | undefined {
    const { auth, withheld } = this.compute(url);
    if (withheld) this.askToSend(url);
    return auth;
  }

  /** Headers/query for `url` without side effects (no question, no bookkeeping): for dispatch probes. */
  probeAuth(url: string): ServerAuth {
    return this.compute(url).auth;
  }

  private compute(url: string): { auth: ServerAuth; withheld: boolean } {
    const entry = this.registry.find(url);
    return this.credentials.authFor(url, this.registry.originOf(url), entry?.headers ?? {});
  }

  private askToSend(url: string): void {
    const key = serverKey(url);
    if (!key || this.asked.has(key)) return;
    this.asked.add(key);
    this.log.info(`Credentials for ${displayServerUrl(url)} were not sent: the URL comes from workspace settings and is not confirmed yet.`);
    const send = vscode.l10n.t('Send Credentials');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t('The server {0} comes from this workspace’s settings. Send the credentials you stored for it?', displayServerUrl(url)),
        { modal: false },
        send,
      )
      .then(
        async (pick) => {
          if (pick !== send) return;
          await this.credentials.confirm(url);
        },
        (error: unknown) => this.log.warn('The credentials question failed:', error),
      );
  }

  private updateSecrets(): void {
    this.log.setSecrets(this.credentials.secretValues(), 'credentials');
  }

  dispose(): void {
    this.connection.setAuthResolver(undefined);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
