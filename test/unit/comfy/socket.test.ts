// ComfySocket against a scripted fake WebSocket and a manual clock: handshake order, typed dispatch, malformed
// frames, reconnect with bounded backoff, resync, and a clean close. (The real-socket path is covered by
// test/integration/socket.test.ts against the mock server.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComfySocket, type WebSocketLike } from '../../../src/core/comfy/socket';
import { encodeBinaryFrame } from '../../../src/core/comfy/binary';
import { ManualClock } from '../../../src/core/util/clock';
import type { ComfyMessage } from '../../../src/core/comfy/messages';

class FakeWebSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: string[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  private listeners = new Map<string, Set<(e: never) => void>>();

  constructor(
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    this.closedWith = { code, reason };
    this.readyState = 2;
    queueMicrotask(() => this.serverClose(code ?? 1000, reason ?? ''));
  }
  addEventListener(type: string, l: (e: never) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: (e: never) => void): void {
    this.listeners.get(type)?.delete(l);
  }
  listenerCount(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
  private fire(type: string, event: unknown): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) (l as (e: unknown) => void)(event);
  }
  // --- the "server" side ---
  accept(): void {
    this.readyState = 1;
    this.fire('open', {});
  }
  text(msg: unknown): void {
    this.fire('message', { data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  binary(bytes: Uint8Array): void {
    this.fire('message', { data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  fail(code = 'ECONNREFUSED'): void {
    this.fire('error', { error: Object.assign(new Error('connect failed'), { code }) });
    this.serverClose(1006, '');
  }
  serverClose(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.fire('close', { code, reason });
  }
}

function setup(options: Partial<ConstructorParameters<typeof ComfySocket>[0]> = {}) {
  const clock = new ManualClock();
  const sockets: FakeWebSocket[] = [];
  const socket = new ComfySocket({
    baseUrl: 'https://h/comfy/',
    query: { token: 'tok-secret-1' },
    headers: { Authorization: 'Bearer abcdef' },
    clientId: 'client-1',
    clock,
    random: () => 0.5,
    reconnect: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 },
    webSocketFactory: (url, init) => {
      const ws = new FakeWebSocket(url, init.headers);
      sockets.push(ws);
      return ws;
    },
    ...options,
  });
  const events: { name: string; value: unknown }[] = [];
  for (const name of ['state', 'open', 'message', 'preview', 'progressText', 'binary', 'malformed', 'resync', 'error', 'close'] as const) {
    socket.on(name, (value: unknown) => events.push({ name, value }));
  }
  const names = (n: string) => events.filter((e) => e.name === n).map((e) => e.value);
  return { clock, sockets, socket, events, names };
}

test('connects to <base>/ws with clientId, token and headers, and sends feature_flags first', () => {
  const { sockets, socket, names } = setup();
  socket.connect();
  socket.connect(); // idempotent
  assert.equal(sockets.length, 1);
  const ws = sockets[0]!;
  assert.equal(ws.url, 'wss://h/comfy/ws?clientId=client-1&token=tok-secret-1');
  assert.equal(ws.headers.authorization, 'Bearer abcdef');
  assert.equal(ws.binaryType, 'arraybuffer');
  assert.equal(socket.state, 'connecting');
  ws.accept();
  assert.equal(socket.state, 'open');
  assert.deepEqual(
    ws.sent.map((s) => JSON.parse(s)),
    [{ type: 'feature_flags', data: { supports_preview_metadata: true } }],
  );
  assert.deepEqual(names('open'), [{ reconnect: false }]);
  assert.deepEqual(names('resync'), []);
  assert.ok(!socket.displayUrl.includes('tok-secret-1'));
});

test('text messages are typed; sid and server feature flags are remembered', () => {
  const { sockets, socket, names } = setup();
  socket.connect();
  const ws = sockets[0]!;
  ws.accept();
  ws.text({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'client-1' } });
  ws.text({ type: 'feature_flags', data: { supports_preview_metadata: true, max_upload_size: 10 } });
  ws.text({ type: 'executing', data: { node: null, prompt_id: 'p1' } });
  ws.text({ type: 'my.custom', data: [1] });
  const messages = names('message') as ComfyMessage[];
  assert.deepEqual(
    messages.map((m) => m.type),
    ['status', 'feature_flags', 'executing', 'unknown'],
  );
  assert.equal(socket.sessionId, 'client-1');
  assert.deepEqual(socket.serverFeatures, { supports_preview_metadata: true, max_upload_size: 10 });
});

test('binary frames become preview / progressText / binary events; malformed ones are reported and the socket stays up', () => {
  const { sockets, socket, names } = setup();
  socket.connect();
  const ws = sockets[0]!;
  ws.accept();
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  ws.binary(encodeBinaryFrame(1, 2, png));
  ws.binary(encodeBinaryFrame(4, new TextEncoder().encode('{"node_id":"3","prompt_id":"p"}'), png));
  ws.binary(encodeBinaryFrame(3, new TextEncoder().encode('3'), new TextEncoder().encode('50%')));
  ws.binary(Uint8Array.from([0, 0, 0, 9, 1]));
  ws.binary(Uint8Array.from([0, 0]));
  ws.text('{broken');
  ws.text({ type: 'status', data: {} });
  const previews = names('preview') as { eventType: number; mimeType: string }[];
  assert.deepEqual(
    previews.map((p) => [p.eventType, p.mimeType]),
    [
      [1, 'image/png'],
      [4, 'image/png'],
    ],
  );
  assert.deepEqual(names('progressText'), [{ nodeId: '3', text: '50%' }]);
  assert.equal((names('binary')[0] as { eventType: number }).eventType, 9);
  const malformed = names('malformed') as { frame: string; reason: string }[];
  assert.deepEqual(
    malformed.map((m) => m.frame),
    ['binary', 'text', 'text'],
  );
  assert.equal(socket.state, 'open');
});

test('a listener that throws does not stop other listeners or the socket', () => {
  const { sockets, socket } = setup();
  let later = 0;
  socket.on('message', () => {
    throw new Error('listener bug');
  });
  socket.on('message', () => later++);
  socket.connect();
  sockets[0]!.accept();
  sockets[0]!.text({ type: 'execution_start', data: { prompt_id: 'p' } });
  sockets[0]!.text({ type: 'execution_success', data: { prompt_id: 'p' } });
  assert.equal(later, 2);
  assert.equal(socket.state, 'open');
});

test('a lost connection reconnects after a backoff delay, with the same clientId, and emits resync', () => {
  const { clock, sockets, socket, names } = setup();
  socket.connect();
  sockets[0]!.accept();
  sockets[0]!.text({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } } } });
  clock.advance(5000);
  sockets[0]!.serverClose(1006);
  assert.equal(socket.state, 'waiting');
  assert.deepEqual(names('close').at(-1), { code: 1006, reason: '', willReconnect: true });
  assert.equal((names('error').at(-1) as { reason: string }).reason, 'reset');
  // attempt 0: base 100 ms, jitter 0.5 at random 0.5 -> 75 ms.
  assert.equal(clock.nextDelay(), 75);
  clock.advance(74);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1]!.url, sockets[0]!.url);
  sockets[1]!.accept();
  assert.deepEqual(names('open').at(-1), { reconnect: true });
  assert.deepEqual(names('resync'), [{ downtimeMs: 75 }]);
  // feature flags again on the new connection, first.
  assert.equal(JSON.parse(sockets[1]!.sent[0]!).type, 'feature_flags');
  assert.equal(sockets[0]!.listenerCount(), 0);
});

test('failed attempts back off exponentially up to the cap, and a received message resets the backoff', () => {
  const { clock, sockets, socket, names } = setup();
  socket.connect();
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    sockets.at(-1)!.fail();
    delays.push(clock.nextDelay()!);
    clock.advance(clock.nextDelay()!);
  }
  assert.deepEqual(delays, [75, 150, 300, 600, 750, 750]);
  assert.equal((names('error')[0] as { reason: string }).reason, 'refused');
  assert.ok(names('error').every((e) => !String((e as Error).message).includes('tok-secret-1')));
  // Never opened so far: the first successful open is not a "reconnect".
  sockets.at(-1)!.accept();
  assert.deepEqual(names('open'), [{ reconnect: false }]);
  assert.deepEqual(names('resync'), []);
  sockets.at(-1)!.text({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } } } });
  sockets.at(-1)!.serverClose(1011);
  assert.equal(clock.nextDelay(), 75);
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('an attempt that never opens is abandoned after connectTimeoutMs and retried', async () => {
  const { clock, sockets, socket, names } = setup({ connectTimeoutMs: 1000 });
  socket.connect();
  clock.advance(999);
  assert.equal(socket.state, 'connecting');
  clock.advance(1);
  assert.equal(socket.state, 'waiting');
  assert.ok(sockets[0]!.closedWith, 'the stuck socket was closed');
  assert.equal((names('error')[0] as { code: string }).code, 'ETIMEDOUT');
  await settle();
  clock.advance(clock.nextDelay()!);
  assert.equal(sockets.length, 2);
});

test('a stuck socket that never finishes closing delays the next attempt by at most 2 s', async () => {
  const { clock, sockets, socket } = setup({ connectTimeoutMs: 1000 });
  socket.connect();
  const stuck = sockets[0]!;
  stuck.close = () => {}; // ignores close(): no close event will ever come
  clock.advance(1000);
  clock.advance(clock.nextDelay()!);
  await settle();
  assert.equal(sockets.length, 1, 'waits for the old socket (same clientId) to go away');
  clock.advance(2000);
  await settle();
  assert.equal(sockets.length, 2);
  await socket.close();
});

test('maxAttempts bounds the retries; then the socket is closed for good', () => {
  const { clock, sockets, socket, names } = setup({ reconnect: { initialMs: 10, maxMs: 10, maxAttempts: 2 } });
  socket.connect();
  sockets.at(-1)!.fail();
  clock.advance(10);
  sockets.at(-1)!.fail();
  clock.advance(10);
  sockets.at(-1)!.fail();
  assert.equal(sockets.length, 3);
  assert.equal(socket.state, 'closed');
  assert.deepEqual((names('close').at(-1) as { willReconnect: boolean }).willReconnect, false);
  assert.equal(clock.pending, 0);
});

test('reconnectNow closes the old socket first, then reconnects at once and resyncs', async () => {
  const { sockets, socket, names } = setup();
  socket.connect();
  sockets[0]!.accept();
  socket.reconnectNow();
  assert.ok(sockets[0]!.closedWith);
  // The server drops a clientId whenever any socket with it ends, so the new socket must wait for the old one.
  assert.equal(sockets.length, 1);
  await settle();
  assert.equal(sockets[0]!.readyState, 3);
  assert.equal(sockets.length, 2);
  sockets[1]!.accept();
  assert.equal(names('resync').length, 1);
  await socket.close();
});

test('close() leaves no timers, listeners or open sockets, and nothing reconnects afterwards', async () => {
  const { clock, sockets, socket, names } = setup();
  socket.connect();
  sockets[0]!.accept();
  await socket.close();
  assert.equal(socket.state, 'closed');
  assert.equal(sockets[0]!.readyState, 3);
  assert.deepEqual(sockets[0]!.closedWith, { code: 1000, reason: 'closed by client' });
  assert.equal(sockets[0]!.listenerCount(), 0);
  assert.equal(clock.pending, 0);
  assert.deepEqual(names('close').at(-1), { code: 1000, reason: 'closed by client', willReconnect: false });
  clock.advance(60_000);
  assert.equal(sockets.length, 1);
  await assert.rejects(socket.whenOpen());
  socket.connect();
  assert.equal(sockets.length, 1);
});

test('close() while waiting to reconnect cancels the retry timer', async () => {
  const { clock, sockets, socket } = setup();
  socket.connect();
  sockets[0]!.fail();
  assert.equal(clock.pending, 1);
  await socket.close();
  assert.equal(clock.pending, 0);
});

test('whenOpen resolves on open, rejects on abort', async () => {
  const { sockets, socket } = setup();
  const p = socket.whenOpen();
  assert.equal(sockets.length, 1);
  sockets[0]!.accept();
  await p;
  await socket.whenOpen();
  const s2 = setup();
  const ac = new AbortController();
  const p2 = s2.socket.whenOpen(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(p2, /stop/);
  await s2.socket.close();
  await socket.close();
});
