// A tiny reverse proxy for the integration tests: serves the upstream ComfyUI under a path prefix and demands a
// token (query) and a bearer header, like a typical auth proxy in front of a shared GPU box. It strips both before
// forwarding, so the upstream sees plain ComfyUI requests. Handles WebSocket upgrades by piping the raw sockets.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from '../helpers/loopback';

export interface ReverseProxy {
  url: string;
  /** Requests that were refused for missing credentials. */
  refused: number;
  close(): Promise<void>;
}

export async function startReverseProxy(upstream: string, prefix: string, token: string, bearer: string): Promise<ReverseProxy> {
  const up = new URL(upstream);
  const sockets = new Set<Socket>();
  const state = { refused: 0 };

  /** The upstream path, or undefined when the request lacks the prefix or credentials. */
  const admit = (req: IncomingMessage): string | undefined => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
    if (url.searchParams.get('token') !== token || req.headers.authorization !== `Bearer ${bearer}`) return undefined;
    url.searchParams.delete('token');
    return url.pathname.slice(prefix.length) + url.search;
  };

  const server: Server = createServer((req, res) => {
    const path = admit(req);
    if (path === undefined) {
      state.refused++;
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html><body>401 Authorization Required</body></html>');
      return;
    }
    const headers = { ...req.headers, host: up.host };
    delete headers.authorization;
    const fwd = httpRequest({ host: up.hostname, port: up.port, method: req.method, path, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    fwd.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    req.pipe(fwd);
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const path = admit(req);
    if (path === undefined) {
      state.refused++;
      client.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstreamSocket = connect(Number(up.port), up.hostname, () => {
      const lines = [`${req.method} ${path} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        if (/^(host|authorization)$/i.test(name)) continue;
        lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
      }
      lines.push(`Host: ${up.host}`);
      upstreamSocket.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.pipe(client);
      client.pipe(upstreamSocket);
    });
    for (const s of [client, upstreamSocket]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstreamSocket.destroy();
      });
    }
  });
  const { port, close } = await listenOnLoopback(server, sockets);
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    get refused() {
      return state.refused;
    },
    close,
  };
}
