// A fake Comfy Registry for tests: `GET /comfy-nodes/{comfyNodeName}/node` answers the registry's `Node` object
// (comfy-cli's vendored openapi.yml: id, name, repository, latest_version {version, status}, status, tags_admin, …)
// or 404 `{"error", "message"}` (ErrorResponse). Independent of src/core, like the mock server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistryNode {
  id: string;
  name?: string;
  repository?: string;
  latest_version?: { version: string; status?: string };
  status?: string;
  tags_admin?: string[];
  [key: string]: unknown;
}

export interface FakeRegistryOptions {
  /** Class name → the pack (Node) that provides it. */
  nodes?: Record<string, FakeRegistryNode>;
  /** Delay before every answer (timeouts). */
  delayMs?: number;
  /** Answer this status to everything (e.g. 500). */
  status?: number;
  /** Pad every 200 body with this many bytes (size caps). */
  padBytes?: number;
}

export interface FakeRegistry {
  url: string;
  /** Class names asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const answer = (): void => {
      const m = /^\/comfy-nodes\/([^/]+)\/node$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      const send = (status: number, body: unknown): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(text);
      };
      if (!m || req.method !== 'GET') return send(404, { error: 'not found', message: 'Not Found' });
      const name = decodeURIComponent(m[1]!);
      requests.push(name);
      if (options.status) return send(options.status, { error: 'failure', message: 'Internal server error' });
      const node = options.nodes?.[name];
      if (!node) return send(404, { error: 'not found', message: 'No node found containing the specified ComfyUI node name' });
      send(200, options.padBytes ? { ...node, description: 'x'.repeat(options.padBytes) } : node);
    };
    if (options.delayMs) setTimeout(answer, options.delayMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
