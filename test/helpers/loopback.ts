// Starting a node:http test server on a free loopback port. Its sockets are tracked so `close()` does not wait
// for keep-alive (or piped WebSocket) connections the client under test still holds open.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ListeningServer {
  port: number;
  /** Destroys every tracked socket, then closes the server. */
  close(): Promise<void>;
}

/** `sockets` may be shared with the caller, which can add sockets of its own (e.g. upstream pipes) to be destroyed. */
export async function listenOnLoopback(server: Server, sockets: Set<Socket> = new Set()): Promise<ListeningServer> {
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
