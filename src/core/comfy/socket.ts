// The ComfyUI WebSocket (`<base>/ws?clientId=<id>`), kept alive across server restarts and network blips.
// Messages lost while disconnected cannot be replayed, so after every reconnect the socket emits `resync` and
// consumers re-read /queue and /history. Nothing here throws into callers: failures become events.
import { Agent, WebSocket, type Dispatcher } from 'undici';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from '../util/backoff';
import { type Clock, type TimerHandle, systemClock } from '../util/clock';
import { type Disposable, Emitter } from '../util/emitter';
import { type Logger, nullLogger } from '../util/logger';
import { type BinaryFrame, decodeBinaryFrame } from './binary';
import { ComfyUnreachableError, type ComfyError } from './errors';
import { classifyNetworkError } from './transport';
import { newClientId } from './ids';
import { type ComfyMessage, parseTextMessage } from './messages';
import type { Redactor } from './redact';
import type { ServerFeatures } from './types';
import { resolveConnection, type ServerEndpoint, webSocketUrl } from './url';

/** The subset of the WHATWG WebSocket the socket uses; lets tests inject a fake. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
}

export type WebSocketFactory = (url: string, init: { headers: Record<string, string>; dispatcher?: Dispatcher }) => WebSocketLike;

export type SocketState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export type PreviewFrame = Extract<BinaryFrame, { kind: 'preview' }>;

export interface ComfySocketEvents {
  /** Every state change; `delayMs` is set while waiting to reconnect. */
  state: { state: SocketState; attempt: number; delayMs?: number };
  /** The socket is open and the feature-flag handshake was sent. */
  open: { reconnect: boolean };
  /** A typed text message (unknown types arrive as `{type: 'unknown', messageType}`). */
  message: ComfyMessage;
  /** A preview image (binary type 1 or 4). */
  preview: PreviewFrame;
  /** Progress text of a node (binary type 3). */
  progressText: { nodeId: string; text: string };
  /** A binary frame of a type this client does not know. */
  binary: Extract<BinaryFrame, { kind: 'unknown' }>;
  /** A frame that could not be decoded; the socket stays up. */
  malformed: { frame: 'text' | 'binary'; reason: string; byteLength: number };
  /** Emitted after a reconnect: messages may have been lost, so re-read /queue and /history. */
  resync: { downtimeMs: number };
  /** A connection attempt failed or an open connection was lost; the socket retries unless closed. */
  error: ComfyError;
  /** A connection ended. `willReconnect` is false only after close() or when maxAttempts ran out. */
  close: { code: number; reason: string; willReconnect: boolean };
}

export interface ComfySocketOptions {
  baseUrl: string;
  /** Reused across reconnects so the server keeps routing this client's prompt events here. */
  clientId?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  dispatcher?: Dispatcher;
  /** Client feature flags sent first on every connection. */
  featureFlags?: Record<string, unknown>;
  reconnect?: Partial<BackoffOptions> & { enabled?: boolean; maxAttempts?: number };
  /** Give up on an attempt that has not opened after this long (ms). */
  connectTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  webSocketFactory?: WebSocketFactory;
}

export const DEFAULT_FEATURE_FLAGS: Readonly<Record<string, unknown>> = { supports_preview_metadata: true };

/**
 * The largest WebSocket message accepted, after permessage-deflate (issue 13, finding 9): undici offers the
 * extension and would otherwise inflate up to 128 MB, so 100 KB on the wire could become a 100 MB message. ComfyUI's
 * own messages are JSON events and preview images (a few MB at most).
 */
export const MAX_WS_MESSAGE_BYTES = 16 * 1024 * 1024;
let cappedAgent: Agent | undefined;
/** The dispatcher sockets use when the caller gives none: undici's default one, with the message cap. */
function socketDispatcher(): Dispatcher {
  cappedAgent ??= new Agent({ webSocket: { maxPayloadSize: MAX_WS_MESSAGE_BYTES } });
  return cappedAgent;
}

const defaultFactory: WebSocketFactory = (url, init) =>
  new WebSocket(url, { headers: init.headers, dispatcher: init.dispatcher ?? socketDispatcher() }) as unknown as WebSocketLike;

export class ComfySocket implements Disposable {
  readonly clientId: string;
  private readonly endpoint: ServerEndpoint;
  private readonly headers: Record<string, string>;
  private readonly redactor: Redactor;
  private readonly emitter: Emitter<ComfySocketEvents>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly factory: WebSocketFactory;
  private readonly backoff: BackoffOptions;
  private readonly reconnectEnabled: boolean;
  private readonly maxAttempts: number;
  private readonly connectTimeoutMs: number;
  private readonly featureFlags: Record<string, unknown>;
  private readonly dispatcher: Dispatcher | undefined;

  private ws: WebSocketLike | undefined;
  private detach: (() => void) | undefined;
  private connectTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private _state: SocketState = 'idle';
  private attempt = 0;
  private everOpened = false;
  private lostAt: number | undefined;
  private _sessionId: string | undefined;
  private _serverFeatures: ServerFeatures | undefined;
  private closing: Promise<void> | undefined;
  /** Sockets we closed that have not finished closing yet. */
  private retiring: Promise<void> | undefined;
  /** Bumped whenever a pending (deferred) connection attempt must be abandoned. */
  private generation = 0;

  constructor(options: ComfySocketOptions) {
    ({ endpoint: this.endpoint, headers: this.headers, redactor: this.redactor } = resolveConnection(options.baseUrl, options.query, options.headers));
    this.clientId = options.clientId ?? newClientId();
    this.logger = options.logger ?? nullLogger;
    this.emitter = new Emitter<ComfySocketEvents>((error, event) => this.logger.error(`ComfySocket: a '${String(event)}' listener threw`, error));
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.factory = options.webSocketFactory ?? defaultFactory;
    this.backoff = { ...DEFAULT_BACKOFF, ...stripUndefined(options.reconnect ?? {}) };
    this.reconnectEnabled = options.reconnect?.enabled ?? true;
    this.maxAttempts = options.reconnect?.maxAttempts ?? Infinity;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.featureFlags = { ...DEFAULT_FEATURE_FLAGS, ...options.featureFlags };
    this.dispatcher = options.dispatcher;
  }

  /** Builds a socket that talks to the same server, with the same headers and query, as a ComfyClient. */
  static forClient(
    client: { endpoint: ServerEndpoint; requestHeaders: Readonly<Record<string, string>> },
    options: Omit<ComfySocketOptions, 'baseUrl' | 'query' | 'headers'> = {},
  ): ComfySocket {
    const base = new URL(client.endpoint.base);
    return new ComfySocket({ ...options, baseUrl: base.toString(), query: { ...client.endpoint.query }, headers: { ...client.requestHeaders } });
  }

  get state(): SocketState {
    return this._state;
  }

  /** The `sid` of the last `status` message (equals clientId on servers that honour it). */
  get sessionId(): string | undefined {
    return this._sessionId;
  }

  /** The server's reply to the feature-flag handshake (undefined on servers without one). */
  get serverFeatures(): ServerFeatures | undefined {
    return this._serverFeatures;
  }

  /** The WebSocket URL, redacted, for display. */
  get displayUrl(): string {
    return this.redactor.url(webSocketUrl(this.endpoint, this.clientId));
  }

  on<K extends keyof ComfySocketEvents>(event: K, listener: (value: ComfySocketEvents[K]) => void): Disposable {
    return this.emitter.on(event, listener);
  }

  once<K extends keyof ComfySocketEvents>(event: K, listener: (value: ComfySocketEvents[K]) => void): Disposable {
    return this.emitter.once(event, listener);
  }

  /** Starts connecting (idempotent). */
  connect(): void {
    if (this._state !== 'idle') return;
    this.openConnection();
  }

  /**
   * Resolves when the socket is open (now or later); rejects when it is closed for good or `signal` aborts.
   * Connects first if needed.
   */
  whenOpen(signal?: AbortSignal): Promise<void> {
    if (this._state === 'open') return Promise.resolve();
    if (this._state === 'closed') return Promise.reject(new Error('the ComfyUI socket is closed'));
    this.connect();
    return new Promise((resolve, reject) => {
      const subs: Disposable[] = [];
      const done = (): void => {
        for (const s of subs) s.dispose();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      subs.push(
        this.on('open', () => {
          done();
          resolve();
        }),
        this.on('close', (e) => {
          if (e.willReconnect) return;
          done();
          reject(new Error('the ComfyUI socket was closed before it opened'));
        }),
      );
    });
  }

  /**
   * Drops the current connection and reconnects at once (e.g. the network changed, or a watchdog found the
   * socket silent). Emits `resync` when the new connection opens.
   */
  reconnectNow(): void {
    if (this._state === 'closed') return;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    const ws = this.ws;
    if (ws) {
      const wasOpen = this._state === 'open';
      this.teardown();
      if (wasOpen) this.noteLost();
      this.retire(ws, 4000, 'reconnect');
      this.emitter.emit('close', { code: 4000, reason: 'reconnect', willReconnect: true });
    }
    this.openConnection();
  }

  /** Closes for good: no timers, listeners or sockets are left. Resolves once the socket is closed. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.generation++;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    const alreadyClosed = this._state === 'closed';
    this.teardown();
    if (ws) this.retire(ws, 1000, 'closed by client');
    this.closing = this.retiring ?? Promise.resolve();
    // After maxAttempts ran out the socket already said it is closed; do not announce it twice.
    if (!alreadyClosed) {
      this.setState('closed');
      this.emitter.emit('close', { code: 1000, reason: 'closed by client', willReconnect: false });
    }
    this.emitter.dispose();
    return this.closing;
  }

  dispose(): void {
    void this.close();
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private openConnection(): void {
    this.retryTimer = undefined;
    if (this._state === 'closed') return;
    const generation = ++this.generation;
    this.setState('connecting');
    if (this.retiring) {
      // The server forgets a clientId when *any* socket with that id ends, even after a newer socket took it
      // (server.py pops the sid in its finally block). Opening the new socket before the old one is gone would
      // leave the new one deaf, so wait for the old one to finish closing.
      void this.retiring.then(() => {
        if (generation === this.generation && this._state === 'connecting' && !this.ws) this.openConnection();
      });
      return;
    }
    const url = webSocketUrl(this.endpoint, this.clientId);
    let ws: WebSocketLike;
    try {
      ws = this.factory(url.toString(), { headers: this.headers, ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}) });
      ws.binaryType = 'arraybuffer';
    } catch (error) {
      // undici throws synchronously only for bad URLs/headers; retrying will not help, but staying silent would hide it.
      this.emitter.emit('error', new ComfyUnreachableError(this.displayUrl, 'network', undefined, error));
      this.scheduleReconnect(1006, 'could not create the WebSocket');
      return;
    }
    this.ws = ws;
    let opened = false;
    let lastError: unknown;

    const onOpen = (): void => {
      opened = true;
      if (this.connectTimer !== undefined) this.clock.clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
      try {
        ws.send(JSON.stringify({ type: 'feature_flags', data: this.featureFlags }));
      } catch (error) {
        this.logger.warn('ComfySocket: could not send feature flags', error);
      }
      const reconnect = this.everOpened;
      this.everOpened = true;
      this.setState('open');
      this.emitter.emit('open', { reconnect });
      if (reconnect) {
        const downtimeMs = this.lostAt === undefined ? 0 : this.clock.now() - this.lostAt;
        this.lostAt = undefined;
        this.emitter.emit('resync', { downtimeMs });
      }
    };
    const onMessage = (event: { data: unknown }): void => {
      // The first frame proves the server really works (not a proxy that accepts and drops): reset the backoff.
      this.attempt = 0;
      this.handleFrame(event.data);
    };
    const onError = (event: { error?: unknown; message?: unknown }): void => {
      lastError = event.error ?? event;
    };
    const onClose = (event: { code?: number; reason?: string }): void => {
      if (this.ws !== ws) return;
      this.teardown();
      const code = event.code ?? 1006;
      const reason = event.reason ?? '';
      if (opened) this.noteLost();
      this.logger.info(`ComfySocket: ${opened ? 'connection lost' : 'could not connect'} (${code}${reason ? ` ${reason}` : ''}) ${this.displayUrl}`);
      if (opened && code !== 1000) this.emitter.emit('error', new ComfyUnreachableError(this.displayUrl, 'reset', undefined, lastError));
      else if (!opened) this.emitter.emit('error', classifyNetworkError(lastError, this.displayUrl, this.connectTimeoutMs));
      this.scheduleReconnect(code, reason);
    };

    ws.addEventListener('open', onOpen);
    ws.addEventListener('message', onMessage as (e: never) => void);
    ws.addEventListener('error', onError as (e: never) => void);
    ws.addEventListener('close', onClose as (e: never) => void);
    this.detach = () => {
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('message', onMessage as (e: never) => void);
      ws.removeEventListener('error', onError as (e: never) => void);
      ws.removeEventListener('close', onClose as (e: never) => void);
    };
    this.connectTimer = this.clock.setTimeout(() => {
      this.connectTimer = undefined;
      if (this.ws !== ws || opened) return;
      this.logger.info(`ComfySocket: no answer within ${this.connectTimeoutMs} ms from ${this.displayUrl}`);
      this.teardown();
      this.retire(ws, 1000, 'connect timeout');
      this.emitter.emit('error', new ComfyUnreachableError(this.displayUrl, 'network', 'ETIMEDOUT'));
      this.scheduleReconnect(1006, 'connect timeout');
    }, this.connectTimeoutMs);
  }

  private handleFrame(data: unknown): void {
    if (typeof data === 'string') {
      const parsed = parseTextMessage(data);
      if (!parsed.ok) {
        this.emitter.emit('malformed', { frame: 'text', reason: parsed.reason, byteLength: data.length });
        return;
      }
      const m = parsed.message;
      if (m.type === 'status' && typeof m.data.sid === 'string') this._sessionId = m.data.sid;
      if (m.type === 'feature_flags') this._serverFeatures = m.data;
      this.emitter.emit('message', m);
      return;
    }
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const frame = decodeBinaryFrame(data);
      switch (frame.kind) {
        case 'preview':
          this.emitter.emit('preview', frame);
          break;
        case 'text':
          this.emitter.emit('progressText', { nodeId: frame.nodeId, text: frame.text });
          break;
        case 'unknown':
          this.emitter.emit('binary', frame);
          break;
        case 'malformed':
          this.emitter.emit('malformed', { frame: 'binary', reason: frame.reason, byteLength: frame.byteLength });
          break;
      }
      return;
    }
    this.emitter.emit('malformed', { frame: 'binary', reason: `unsupported frame payload (${Object.prototype.toString.call(data)})`, byteLength: 0 });
  }

  private scheduleReconnect(code: number, reason: string): void {
    if (this._state === 'closed') return;
    if (!this.reconnectEnabled || this.attempt >= this.maxAttempts) {
      this.setState('closed');
      this.emitter.emit('close', { code, reason, willReconnect: false });
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt++;
    this.emitter.emit('close', { code, reason, willReconnect: true });
    this.setState('waiting', delayMs);
    this.retryTimer = this.clock.setTimeout(() => this.openConnection(), delayMs);
  }

  private noteLost(): void {
    if (this.lostAt === undefined) this.lostAt = this.clock.now();
  }

  /**
   * Closes a socket we are done with and remembers the closing until it has finished (bounded: a peer that never
   * completes the closing handshake cannot hold us up for more than 2 s).
   */
  private retire(ws: WebSocketLike, code: number, reason: string): void {
    const closed = new Promise<void>((resolve) => {
      if (ws.readyState === 3) return resolve();
      let timer: TimerHandle | undefined;
      const done = (): void => {
        if (timer !== undefined) this.clock.clearTimeout(timer);
        timer = undefined;
        ws.removeEventListener('close', done);
        resolve();
      };
      ws.addEventListener('close', done);
      timer = this.clock.setTimeout(done, 2000);
      safeClose(ws, code, reason);
    });
    const previous = this.retiring;
    const all: Promise<void> = Promise.all([previous, closed]).then(() => {
      if (this.retiring === all) this.retiring = undefined;
    });
    this.retiring = all;
  }

  /** Forgets the current WebSocket and its timer (does not close it). */
  private teardown(): void {
    if (this.connectTimer !== undefined) this.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.detach?.();
    this.detach = undefined;
    this.ws = undefined;
  }

  private setState(state: SocketState, delayMs?: number): void {
    this._state = state;
    this.emitter.emit('state', { state, attempt: this.attempt, ...(delayMs !== undefined ? { delayMs } : {}) });
  }
}

function safeClose(ws: WebSocketLike, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing or closed, or an invalid state: either way the socket is going away.
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
