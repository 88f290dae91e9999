// The active ComfyUI server as the editor sees it: one ComfyClient (HTTP) and one ComfySocket (WebSocket) with a
// clientId that stays the same for the whole window session, so the server keeps routing this window's prompt
// events here across reconnects and server switches. Everything that talks to "the server" (queue, tree, preview,
// node definitions, status bar) goes through this object and subscribes to its events; nobody opens a second
// socket.
//
// Lifetimes: objects tied to one server (client, socket, their listeners) live in a connection scope that is
// disposed when the server URL changes; the emitters below live as long as the extension.
import * as vscode from 'vscode';
import { displayServerUrl } from '../../core/comfy/url';
import { ComfyClient } from '../../core/comfy/client';
import { ComfySocket, type PreviewFrame, type SocketState } from '../../core/comfy/socket';
import type { ComfyMessage } from '../../core/comfy/messages';
import { newClientId } from '../../core/comfy/ids';
import type { Logger } from '../../core/util/logger';
import { systemClock, type Clock } from '../../core/util/clock';

/**
 * - `connecting`: first attempt to reach a (new) server;
 * - `connected`: the WebSocket is open;
 * - `offline`: the server is not reachable; the socket keeps retrying with backoff;
 * - `invalid`: the configured URL is unusable (see `lastError`).
 */
export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'invalid';

export interface ServerConnectionOptions {
  logger: Logger;
  /** Default HTTP timeout (ms), read whenever a client is built. */
  timeoutMs?: () => number;
  /** For tests: a faster reconnect backoff. */
  reconnect?: { initialMs?: number; maxMs?: number };
  /** The timers of the connection, its client and socket (tests pass a ManualClock); default systemClock. */
  clock?: Clock;
}

/** Credentials and proxy headers for one server URL (src/vscode/serverRegistry builds them from settings + SecretStorage). */
export interface ServerAuth {
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** Looked up synchronously whenever a client is built, so the secret store must answer from memory. */
export type ServerAuthResolver = (url: string) => ServerAuth | undefined;

export class ServerConnection implements vscode.Disposable {
  /** Sent as `client_id` with every prompt; the socket connects with it. */
  readonly clientId = newClientId();

  private scope: vscode.Disposable[] = [];
  private _client: ComfyClient | undefined;
  private _socket: ComfySocket | undefined;
  private _state: ConnectionState = 'connecting';
  private _url = '';
  private _displayUrl = '';
  private _queueRemaining: number | undefined;
  private _lastError: string | undefined;
  private everConnected = false;
  private authResolver: ServerAuthResolver | undefined;
  /** What the current client was built with (compared only; it may hold secrets, never log it). */
  private builtAuth = '';

  private readonly _onDidChangeState = new vscode.EventEmitter<ConnectionState>();
  /** Fires on every state change. */
  readonly onDidChangeState = this._onDidChangeState.event;
  private readonly _onDidChangeServer = new vscode.EventEmitter<ComfyClient | undefined>();
  /** Fires after the server URL changed and a new client was built (undefined when the URL is invalid). */
  readonly onDidChangeServer = this._onDidChangeServer.event;
  private readonly _onMessage = new vscode.EventEmitter<ComfyMessage>();
  /** Every text message of the socket (status, execution_*, progress, executed, custom types …). */
  readonly onMessage = this._onMessage.event;
  private readonly _onPreview = new vscode.EventEmitter<PreviewFrame>();
  /** Preview images (binary frames type 1 and 4). */
  readonly onPreview = this._onPreview.event;
  private readonly _onProgressText = new vscode.EventEmitter<{ nodeId: string; text: string }>();
  /** Progress text of a node (binary frame type 3). */
  readonly onProgressText = this._onProgressText.event;
  private readonly _onResync = new vscode.EventEmitter<{ downtimeMs: number }>();
  /** After a reconnect: messages may have been lost, re-read /queue and /history. */
  readonly onResync = this._onResync.event;
  private readonly _onDidChangeQueueRemaining = new vscode.EventEmitter<number>();
  /** The queue count from `status` messages. */
  readonly onDidChangeQueueRemaining = this._onDidChangeQueueRemaining.event;

  private readonly emitters: vscode.Disposable[] = [
    this._onDidChangeState,
    this._onDidChangeServer,
    this._onMessage,
    this._onPreview,
    this._onProgressText,
    this._onResync,
    this._onDidChangeQueueRemaining,
  ];

  constructor(private readonly options: ServerConnectionOptions) {}

  get state(): ConnectionState {
    return this._state;
  }
  /** The HTTP client of the active server; undefined while the URL is invalid. */
  get client(): ComfyClient | undefined {
    return this._client;
  }
  /** The socket of the active server (for `whenOpen`, `sessionId`, `serverFeatures`). */
  get socket(): ComfySocket | undefined {
    return this._socket;
  }
  /** The configured URL as given (may hold secrets: never log or show it). */
  get serverUrl(): string {
    return this._url;
  }
  /** The server URL without credentials or secret query values, for display and logs. */
  get displayUrl(): string {
    return this._displayUrl;
  }
  get queueRemaining(): number | undefined {
    return this._queueRemaining;
  }
  /** Why the server is offline or invalid, one sentence (already redacted). */
  get lastError(): string | undefined {
    return this._lastError;
  }

  /**
   * Points the connection at `url` (no-op when unchanged). Disposes the previous connection scope, builds a new
   * client and socket and starts connecting; returns at once (no network I/O is awaited).
   */
  setServer(url: string, force = false): void {
    if (url === this._url && !force && this._state !== 'invalid') return;
    this.disposeScope();
    this._url = url;
    this._queueRemaining = undefined;
    this.everConnected = false;
    try {
      const auth = this.resolveAuth(url);
      this.builtAuth = authFingerprint(auth);
      this._client = new ComfyClient({
        baseUrl: url,
        logger: this.options.logger,
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs() } : {}),
        ...(auth?.headers && Object.keys(auth.headers).length ? { headers: auth.headers } : {}),
        ...(auth?.query && Object.keys(auth.query).length ? { query: auth.query } : {}),
      });
    } catch (error) {
      this._client = undefined;
      this._socket = undefined;
      this._displayUrl = displayServerUrl(url);
      this._lastError = error instanceof Error ? error.message : String(error);
      this.options.logger.warn(this._lastError);
      this.setState('invalid');
      this._onDidChangeServer.fire(undefined);
      return;
    }
    const client = this._client;
    this._displayUrl = client.displayUrl;
    this._lastError = undefined;
    const socket = ComfySocket.forClient(client, {
      clientId: this.clientId,
      logger: this.options.logger,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(this.options.reconnect ? { reconnect: this.options.reconnect } : {}),
    });
    this._socket = socket;
    this.scope.push(
      // First in, last out: listeners are detached before the socket closes, so a switch does not flash "offline".
      { dispose: () => socket.dispose() },
      socket.on('state', (e) => this.onSocketState(e.state)),
      socket.on('open', () => {
        this._lastError = undefined;
        this.everConnected = true;
        this.setState('connected');
      }),
      socket.on('message', (m) => {
        if (m.type === 'status') this.setQueueRemaining(m.data.status.exec_info.queue_remaining);
        this._onMessage.fire(m);
      }),
      socket.on('preview', (p) => this._onPreview.fire(p)),
      socket.on('progressText', (p) => this._onProgressText.fire(p)),
      socket.on('resync', (r) => this._onResync.fire(r)),
      socket.on('error', (e) => {
        this._lastError = e.message;
        this.options.logger.debug(`ComfyUI socket: ${e.message}`);
      }),
      socket.on('malformed', (m) => this.options.logger.warn(`ComfyUI socket: dropped a malformed ${m.frame} frame (${m.reason})`)),
    );
    this.setState('connecting');
    this._onDidChangeServer.fire(client);
    this.options.logger.info(`Connecting to ComfyUI at ${this._displayUrl} (client id ${this.clientId})`);
    // Connect on the next turn: activation returns first, and loading the HTTP/WebSocket stack (undici is required
    // lazily in the bundle) is not part of the activation time.
    const clock = this.options.clock ?? systemClock;
    const timer = clock.setTimeout(() => socket.connect(), 0);
    this.scope.push({ dispose: () => clock.clearTimeout(timer) });
  }

  /**
   * Sets where headers and query parameters for a URL come from (credentials), and rebuilds the client and socket
   * so they take effect at once. Also call `setServer(serverUrl, true)` when the credentials of the URL change.
   */
  setAuthResolver(resolver: ServerAuthResolver | undefined): void {
    this.authResolver = resolver;
    // Rebuild only when it changes what is sent: no second socket at activation for a server without credentials.
    if (this._url && authFingerprint(this.resolveAuth(this._url)) !== this.builtAuth) this.setServer(this._url, true);
  }

  /** Reconnects now (the "Retry" action), skipping the backoff wait. */
  reconnect(): void {
    if (!this._socket || this._socket.state === 'closed') {
      this.setServer(this._url, true);
      return;
    }
    this._socket.reconnectNow();
  }

  private resolveAuth(url: string): ServerAuth | undefined {
    try {
      return this.authResolver?.(url);
    } catch (error) {
      // A broken credential entry must not take the connection down: connect without it and say so.
      this.options.logger.warn('Reading the server credentials failed; connecting without them:', error);
      return undefined;
    }
  }

  private onSocketState(state: SocketState): void {
    switch (state) {
      case 'open':
        // 'open' event sets connected (after the handshake was sent).
        return;
      case 'connecting':
      case 'idle':
        // A retry after a loss stays "offline" until it succeeds: no flicker in the status bar.
        if (!this.everConnected && this._state !== 'offline') this.setState('connecting');
        return;
      case 'waiting':
      case 'closed':
        this.setState('offline');
        return;
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this._state) return;
    this._state = state;
    if (state === 'offline') this.options.logger.info(`ComfyUI at ${this._displayUrl} is offline${this._lastError ? `: ${this._lastError}` : ''}`);
    if (state === 'connected') this.options.logger.info(`Connected to ComfyUI at ${this._displayUrl}`);
    this._onDidChangeState.fire(state);
  }

  private setQueueRemaining(n: number): void {
    if (n === this._queueRemaining) return;
    this._queueRemaining = n;
    this._onDidChangeQueueRemaining.fire(n);
  }

  private disposeScope(): void {
    for (const d of this.scope.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (error) {
        this.options.logger.warn('Disposing the previous server connection failed:', error);
      }
    }
    this._socket = undefined;
    this._client = undefined;
  }

  dispose(): void {
    this.disposeScope();
    for (const e of this.emitters) e.dispose();
  }
}

function authFingerprint(auth: ServerAuth | undefined): string {
  const h = auth?.headers ?? {};
  const q = auth?.query ?? {};
  return Object.keys(h).length || Object.keys(q).length ? JSON.stringify([h, q]) : '';
}
