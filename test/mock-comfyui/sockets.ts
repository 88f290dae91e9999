// The WebSocket side of the mock: /ws upgrades (origin and auth checks, the feature_flags handshake, the re-sent
// `executing` on reconnect) and the fan-out of text and binary frames to one client or all of them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Faults } from './faults';
import { authRejected } from './faults';
import { u32 } from './http';
import { crossSiteRejected, originRejected } from './origin';
import { pyJsonDumps } from './python';
import { serverFeatures, type ComfyVersion } from './versions';
import { acceptUpgrade, type WsConnection } from './ws';

interface SocketEntry {
  conn: WsConnection;
  flags: Record<string, unknown>;
}

export interface SocketHubHost {
  version: ComfyVersion;
  /** Whether the server's assets are on (the `assets` feature flag). */
  assets(): boolean;
  cors: string | undefined;
  faults(): Faults;
  queueInfo(): unknown;
}

export class SocketHub {
  private readonly sockets = new Map<string, SocketEntry>();
  /** The client_id of the prompt now running, and the node it runs (re-sent to a socket that reconnects). */
  currentClientId: string | null = null;
  lastNodeId: string | null = null;

  constructor(private readonly host: SocketHubHost) {}

  size(): number {
    return this.sockets.size;
  }

  /** Whether the client announced `supports_preview_metadata` in its feature_flags. */
  wantsPreviewMetadata(clientId: string | null): boolean {
    return clientId !== null && this.sockets.get(clientId)?.flags['supports_preview_metadata'] === true;
  }

  sendText(type: string, data: unknown, target: string | null): void {
    if (this.host.faults().silentSocket) return;
    const msg = pyJsonDumps({ type, data });
    for (const s of this.targets(target)) s.conn.sendText(msg);
  }

  sendBinary(frame: Buffer, target: string | null, after?: (conn: WsConnection) => void): void {
    if (this.host.faults().silentSocket) return;
    for (const s of this.targets(target)) {
      s.conn.sendBinary(frame);
      after?.(s.conn);
    }
  }

  /** Cuts every socket without a close frame. */
  destroyAll(): void {
    for (const s of [...this.sockets.values()]) s.conn.destroy();
  }

  private targets(target: string | null): SocketEntry[] {
    if (target === null) return [...this.sockets.values()];
    const one = this.sockets.get(target);
    return one ? [one] : [];
  }

  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const faults = this.host.faults();
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    if (path === '/ws' && authRejected(faults.requireAuth, path, req.headers, url.searchParams)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const refused =
      !this.host.cors &&
      (originRejected(req.headers.host, req.headers.origin) || (this.host.version !== '0.3.64' && crossSiteRejected(req.headers['sec-fetch-site'])));
    if (path !== '/ws' || refused) {
      socket.end(`HTTP/1.1 ${path === '/ws' ? '403 Forbidden' : '404 Not Found'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const conn = acceptUpgrade(req, socket, head);
    if (!conn) return;
    let sid = url.searchParams.get('clientId') ?? '';
    // A reused clientId replaces the old socket in the map without closing it.
    if (!sid) sid = randomUUID().replaceAll('-', '');
    const entry: SocketEntry = { conn, flags: {} };
    this.sockets.set(sid, entry);
    let first = true;
    conn.onMessage = (m) => {
      if (!('text' in m)) return;
      let data: unknown;
      try {
        data = JSON.parse(m.text);
      } catch {
        return; // logged and ignored by the server; it does not count as the first message
      }
      if (first && data && typeof data === 'object' && (data as Record<string, unknown>)['type'] === 'feature_flags') {
        const f = (data as Record<string, unknown>)['data'];
        entry.flags = f && typeof f === 'object' ? (f as Record<string, unknown>) : {};
        if (!this.host.faults().silentSocket)
          conn.sendText(pyJsonDumps({ type: 'feature_flags', data: serverFeatures(this.host.version, this.host.assets()) }));
      }
      first = false;
    };
    // server.py pops the sid when the handler ends, even when a newer socket has taken the id since: the newer
    // socket then stops receiving. Reproduced on purpose: a client must close its old socket before reconnecting.
    conn.onClose = () => {
      this.sockets.delete(sid);
    };
    if (faults.silentSocket) return;
    conn.sendText(pyJsonDumps({ type: 'status', data: { status: this.host.queueInfo(), sid } }));
    if (this.currentClientId === sid && this.lastNodeId !== null) conn.sendText(pyJsonDumps({ type: 'executing', data: { node: this.lastNodeId } }));
  }
}

/** A preview frame: type 4 (with metadata) or type 1 (JPEG). */
export function previewFrame(jpeg: Buffer, meta: unknown): Buffer {
  if (meta) {
    const metaBuf = Buffer.from(pyJsonDumps(meta), 'utf8');
    return Buffer.concat([u32(4), u32(metaBuf.length), metaBuf, jpeg]);
  }
  return Buffer.concat([u32(1), u32(1), jpeg]);
}

/** A type-3 TEXT frame: [u32 3][u32 len][node id][text]. */
export function progressTextFrame(nodeId: string, message: string): Buffer {
  const id = Buffer.from(nodeId, 'utf8');
  return Buffer.concat([u32(3), u32(id.length), id, Buffer.from(message, 'utf8')]);
}
