// ComfySocket over undici's WebSocket against getTestServer(): handshake, typed messages, previews, malformed
// frames, reconnect + resync, and a clean close. Fault-driven cases use the mock's switches (mockOnly).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient } from '../../src/core/comfy/client';
import { isUnreachableError } from '../../src/core/comfy/errors';
import { newClientId, newPromptId } from '../../src/core/comfy/ids';
import { ComfySocket, type ComfySocketEvents, type PreviewFrame } from '../../src/core/comfy/socket';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import { getTestServer, mockOnly, type TestServer } from '../helpers/server';
import { collectRun, invertPrompt } from './clientHelpers';
import { waitFor } from '../helpers/wait';

let server: TestServer;
let client: ComfyClient;
before(async () => {
  server = await getTestServer();
  client = new ComfyClient({ baseUrl: server.url });
});
after(() => server?.close());

function next<K extends keyof ComfySocketEvents>(
  socket: ComfySocket,
  event: K,
  pred: (v: ComfySocketEvents[K]) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<ComfySocketEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no '${String(event)}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = socket.on(event, (v) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

function newSocket(extra: Partial<ConstructorParameters<typeof ComfySocket>[0]> = {}): ComfySocket {
  return ComfySocket.forClient(client, { clientId: newClientId(), reconnect: { initialMs: 50, maxMs: 500 }, ...extra });
}

test('handshake: status carries our clientId as sid, the server answers feature_flags', async () => {
  const socket = newSocket();
  try {
    const status = next(socket, 'message', (m) => m.type === 'status');
    const flags = next(socket, 'message', (m) => m.type === 'feature_flags');
    await socket.whenOpen();
    const s = (await status) as Extract<ComfyMessage, { type: 'status' }>;
    assert.equal(s.data.sid, socket.clientId);
    assert.equal(socket.sessionId, socket.clientId);
    assert.equal(typeof s.data.status.exec_info.queue_remaining, 'number');
    await flags;
    assert.equal(socket.serverFeatures?.supports_preview_metadata, true);
  } finally {
    await socket.close();
  }
  assert.equal(socket.state, 'closed');
});

test('close() leaves no socket open on the server', { skip: mockOnly('socketCount() (how many sockets are open)') }, async () => {
  const before = server.mock!.socketCount();
  const socket = newSocket();
  await socket.whenOpen();
  await next(socket, 'message', (m) => m.type === 'status');
  assert.equal(server.mock!.socketCount(), before + 1);
  await socket.close();
  await waitFor(() => server.mock!.socketCount() <= before, { message: 'the server saw the socket close' });
  assert.equal(server.mock!.socketCount(), before);
});

/** A txt2img graph for the mock's simulated sampler, which streams previews (mock-only: real servers need the model). */
function samplerPrompt(steps: number, seed: number) {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed,
        steps,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'PreviewImage', inputs: { images: ['8', 0] } },
  };
}

test(
  'previews arrive as type-4 frames with metadata (we advertise supports_preview_metadata), with progress',
  { skip: mockOnly('preview frames on every step (a real server sends them only with --preview-method)') },
  async () => {
    const socket = newSocket();
    const previews: PreviewFrame[] = [];
    socket.on('preview', (p) => previews.push(p));
    const progress: ComfyMessage[] = [];
    socket.on('message', (m) => m.type === 'progress' && progress.push(m));
    try {
      await socket.whenOpen();
      const run = collectRun(socket);
      const id = (await client.queuePrompt({ prompt: samplerPrompt(4, Date.now() % 100000), client_id: socket.clientId })).prompt_id;
      run.setPromptId(id);
      const msgs = await run.done;
      assert.equal(msgs.filter((m) => m.type === 'execution_success').length, 1);
      assert.ok(previews.length > 0, 'previews were streamed');
      for (const p of previews) {
        assert.equal(p.eventType, 4);
        assert.ok(p.eventType === 4 && p.metadata.prompt_id === id);
        assert.equal(p.mimeType, 'image/jpeg');
        assert.deepEqual([...p.image.subarray(0, 3)], [0xff, 0xd8, 0xff]);
      }
      assert.ok(progress.length > 0);
    } finally {
      await socket.close();
    }
  },
);

test('malformed binary frames are reported as events and the socket keeps working', { skip: mockOnly('malformedBinary fault') }, async () => {
  server.mock!.setFaults({ malformedBinary: true });
  const socket = newSocket();
  const malformed: ComfySocketEvents['malformed'][] = [];
  socket.on('malformed', (m) => malformed.push(m));
  try {
    await socket.whenOpen();
    const run = collectRun(socket);
    run.setPromptId((await client.queuePrompt({ prompt: samplerPrompt(3, 7 + (Date.now() % 1000)), client_id: socket.clientId })).prompt_id);
    const msgs = await run.done;
    assert.ok(msgs.some((m) => m.type === 'execution_success'));
    assert.ok(malformed.length >= 3, `${malformed.length} malformed`);
    assert.ok(malformed.every((m) => m.frame === 'binary'));
    assert.equal(socket.state, 'open');
  } finally {
    server.mock!.setFaults({});
    await socket.close();
  }
});

test('a dropped socket reconnects with the same clientId and emits resync; history has the lost run', { skip: mockOnly('dropSockets fault') }, async () => {
  server.mock!.setFaults({ dropSockets: true });
  const socket = newSocket();
  const opens: boolean[] = [];
  socket.on('open', (o) => opens.push(o.reconnect));
  try {
    await socket.whenOpen();
    const lost = next(socket, 'close', (c) => c.willReconnect);
    const resync = next(socket, 'resync');
    const id = newPromptId();
    await client.queuePrompt({ prompt: invertPrompt(16, 16, 0x102030 + (Date.now() % 1000), 'cw_drop'), client_id: socket.clientId, prompt_id: id });
    await lost;
    server.mock!.setFaults({});
    const r = await resync;
    assert.ok(r.downtimeMs >= 0);
    assert.deepEqual(opens, [false, true]);
    // What a consumer does on resync: re-read state instead of trusting the (incomplete) message stream.
    const item = await waitFor(() => client.getHistoryItem(id), { message: 'the lost run in the history' });
    assert.equal(item.status?.status_str, 'success');
    // The new connection is fully routed: a second run's events reach it.
    const run = collectRun(socket);
    run.setPromptId(
      (await client.queuePrompt({ prompt: invertPrompt(8, 8, 0x203040 + (Date.now() % 1000), 'cw_drop2'), client_id: socket.clientId })).prompt_id,
    );
    assert.ok((await run.done).some((m) => m.type === 'execution_success'));
  } finally {
    server.mock!.setFaults({});
    await socket.close();
  }
});

test(
  'a server restart on the same port: the socket retries with backoff and resyncs',
  { skip: mockOnly('restart on the same port (a server it may stop)') },
  async () => {
    const own = await getTestServer();
    const port = own.mock!.port;
    const c = new ComfyClient({ baseUrl: own.url });
    const socket = ComfySocket.forClient(c, { reconnect: { initialMs: 50, maxMs: 200 } });
    let restarted: TestServer | undefined;
    const errors: unknown[] = [];
    socket.on('error', (e) => errors.push(e));
    try {
      await socket.whenOpen();
      const lost = next(socket, 'close', (e) => e.willReconnect);
      await own.close();
      await lost;
      // Let at least one attempt fail against the closed port.
      await next(socket, 'error', () => true);
      restarted = await getTestServer({ port });
      await next(socket, 'resync');
      assert.equal(socket.state, 'open');
      assert.ok(errors.length >= 2, 'the drop and a refused attempt were reported');
      assert.ok(
        errors.some((e) => isUnreachableError(e) && e.reason === 'reset'),
        'the drop',
      );
      assert.ok(
        errors.some((e) => isUnreachableError(e) && e.reason !== 'reset'),
        `a failed attempt: ${errors.map((e) => (e as Error).message).join(' | ')}`,
      );
      const status = await next(socket, 'message', (m) => m.type === 'status' || m.type === 'feature_flags');
      assert.ok(status);
    } finally {
      await socket.close();
      await restarted?.close();
    }
  },
);
