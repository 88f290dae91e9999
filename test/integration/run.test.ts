// Whole runs through the client and the socket, the way the extension runs a workflow: open the socket with a
// clientId, POST /prompt with that client_id and our own prompt_id, follow the WebSocket sequence to
// `executing {node: null}`, then read /history and fetch the outputs from /view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient } from '../../src/core/comfy/client';
import { newClientId, newPromptId } from '../../src/core/comfy/ids';
import { ComfySocket } from '../../src/core/comfy/socket';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import type { FileRef } from '../../src/core/comfy/types';
import { getTestServer, mockOnly, TEST_INPUT_SUBFOLDER, type TestServer } from '../helpers/server';
import { collectRun, decodePng, invertPrompt, makePng, nextMessage, pngSize } from './clientHelpers';

let server: TestServer;
let client: ComfyClient;
let socket: ComfySocket;

before(async () => {
  server = await getTestServer();
  client = new ComfyClient({ baseUrl: server.url });
  socket = ComfySocket.forClient(client, { clientId: newClientId() });
  await socket.whenOpen();
});
after(async () => {
  await socket?.close();
  await server?.close();
});

function indexOf(msgs: ComfyMessage[], pred: (m: ComfyMessage) => boolean, what: string): number {
  const i = msgs.findIndex(pred);
  assert.ok(i >= 0, `${what} missing from ${msgs.map((m) => m.type).join(', ')}`);
  return i;
}

test('EmptyImage → ImageInvert → SaveImage: WebSocket sequence, history, and the PNG from /view', async () => {
  // A random color keeps the server's cache from answering a previous run of this test.
  const r = Math.floor(Math.random() * 256);
  const g = Math.floor(Math.random() * 256);
  const b = Math.floor(Math.random() * 256);
  const color = (r << 16) | (g << 8) | b;
  const promptId = newPromptId();
  const run = collectRun(socket);
  const res = await client.queuePrompt({ prompt: invertPrompt(48, 32, color, 'cw_run'), client_id: socket.clientId, prompt_id: promptId });
  assert.equal(res.prompt_id, promptId);
  assert.deepEqual(res.node_errors, {});
  run.setPromptId(promptId);
  const msgs = await run.done;

  const start = indexOf(msgs, (m) => m.type === 'execution_start', 'execution_start');
  const cached = indexOf(msgs, (m) => m.type === 'execution_cached', 'execution_cached');
  const exec = ['1', '2', '3'].map((n) => indexOf(msgs, (m) => m.type === 'executing' && m.data.node === n, `executing ${n}`));
  const executed = indexOf(msgs, (m) => m.type === 'executed' && m.data.node === '3', 'executed 3');
  const success = indexOf(msgs, (m) => m.type === 'execution_success', 'execution_success');
  const finished = msgs.length - 1;
  assert.ok(
    start < cached && cached < exec[0]! && exec[0]! < exec[1]! && exec[1]! < exec[2]! && exec[2]! < executed && executed < success && success < finished,
    msgs.map((m) => m.type).join(', '),
  );
  const last = msgs[finished]!;
  assert.ok(last.type === 'executing' && last.data.node === null && last.data.prompt_id === promptId);
  assert.ok(!msgs.some((m) => m.type === 'execution_error' || m.type === 'execution_interrupted'));

  const executedMsg = msgs[executed] as Extract<ComfyMessage, { type: 'executed' }>;
  const wsImages = (executedMsg.data.output as { images?: FileRef[] }).images;
  assert.equal(wsImages?.length, 1);

  const item = await client.getHistoryItem(promptId);
  assert.ok(item, 'history entry');
  assert.equal(item.status?.status_str, 'success');
  assert.equal(item.status?.completed, true);
  assert.equal(item.prompt[1], promptId);
  assert.equal((item.prompt[3] as { client_id?: string }).client_id, socket.clientId);
  const images = (item.outputs['3'] as { images: FileRef[] }).images;
  assert.deepEqual(images, wsImages);
  assert.equal(images[0]!.type, 'output');
  assert.match(images[0]!.filename, /^cw_run_\d{5}_\.png$/);
  assert.deepEqual(
    item.status!.messages.map((m) => m[0]),
    ['execution_start', 'execution_cached', 'execution_success'],
  );

  const file = await client.view(images[0]!);
  assert.equal(file.contentType, 'image/png');
  assert.deepEqual(pngSize(file.bytes), { width: 48, height: 32 });
  const png = decodePng(file.bytes);
  const px = [png.data[0]!, png.data[1]!, png.data[2]!];
  const expected = [255 - r, 255 - g, 255 - b];
  px.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1, `channel ${i}: ${v} vs ${expected[i]}`));
});

test('LoadImage of an uploaded PNG → ImageBlur → PreviewImage: temp output of the same size', async () => {
  const name = `cw_run_input_${process.pid}_${Date.now() % 100000}.png`;
  const up = await client.uploadImage({ data: makePng(20, 12, Date.now() % 200), filename: name, subfolder: TEST_INPUT_SUBFOLDER, overwrite: true });
  assert.equal(up.subfolder, TEST_INPUT_SUBFOLDER);
  const promptId = newPromptId();
  const run = collectRun(socket);
  await client.queuePrompt({
    prompt: {
      // LoadImage validates its own input: a name in an input subfolder is "subfolder/name".
      '1': { class_type: 'LoadImage', inputs: { image: `${up.subfolder}/${up.name}` } },
      '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 2, sigma: 1 } },
      '3': { class_type: 'PreviewImage', inputs: { images: ['2', 0] } },
    },
    client_id: socket.clientId,
    prompt_id: promptId,
  });
  run.setPromptId(promptId);
  const msgs = await run.done;
  assert.ok(
    msgs.some((m) => m.type === 'execution_success'),
    msgs.map((m) => m.type).join(),
  );
  const item = await client.getHistoryItem(promptId);
  const images = (item?.outputs['3'] as { images: FileRef[] }).images;
  assert.equal(images[0]!.type, 'temp');
  const file = await client.view(images[0]!);
  assert.deepEqual(pngSize(file.bytes), { width: 20, height: 12 });
  // A server-side re-encode for previews (webp) also works and is smaller than the cap.
  const preview = await client.view({ ...images[0]!, preview: 'webp;50' }, { maxBytes: 1024 * 1024 });
  assert.equal(preview.contentType, 'image/webp');
});

/** The mock's sampler runs `steps` × msPerStep, long enough to cancel mid-run (real servers would need a model). */
function slowPrompt(steps: number) {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'slow', clip: ['4', 1] } },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: Date.now() % 100000,
        steps,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['6', 0],
        latent_image: ['5', 0],
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'PreviewImage', inputs: { images: ['8', 0] } },
  };
}

test(
  'cancelPrompt: interrupts the running prompt and dequeues a pending one',
  { skip: mockOnly('slow sampler steps (msPerStep), to catch a prompt while it runs') },
  async () => {
    const running = newPromptId();
    const pending = newPromptId();
    const run = collectRun(socket);
    run.setPromptId(running);
    const firstProgress = nextMessage(socket, (m) => m.type === 'progress' && m.data.prompt_id === running);
    await client.queuePrompt({ prompt: slowPrompt(500), client_id: socket.clientId, prompt_id: running });
    await client.queuePrompt({ prompt: slowPrompt(500), client_id: socket.clientId, prompt_id: pending });
    await firstProgress;

    assert.deepEqual(await client.cancelPrompt(pending), { cancelled: true, via: (await client.hasJobsApi()) ? 'jobs-api' : 'queue-delete' });
    const cancelRunning = await client.cancelPrompt(running);
    assert.equal(cancelRunning.cancelled, true);
    const msgs = await run.done;
    assert.ok(
      msgs.some((m) => m.type === 'execution_interrupted'),
      msgs.map((m) => m.type).join(),
    );
    const queue = await client.getQueue();
    assert.ok(!queue.queue_pending.some((q) => q[1] === pending));
    const jobs = await client.listJobs();
    assert.equal(jobs.jobs.find((j) => j.id === running)?.status, 'cancelled');
    assert.equal(
      jobs.jobs.find((j) => j.id === pending),
      undefined,
    );
  },
);

test(
  'a runtime failure arrives as execution_error and the history entry is an error',
  { skip: mockOnly('failClasses fault (a node that fails at run time)') },
  async () => {
    server.mock!.setFaults({ failClasses: { ImageInvert: { message: 'mock failure for the test', type: 'RuntimeError' } } });
    try {
      const promptId = newPromptId();
      const run = collectRun(socket);
      run.setPromptId(promptId);
      await client.queuePrompt({ prompt: invertPrompt(8, 8, Date.now() % 0xffffff, 'cw_fail'), client_id: socket.clientId, prompt_id: promptId });
      const msgs = await run.done;
      const err = msgs.find((m) => m.type === 'execution_error');
      assert.ok(err && err.type === 'execution_error');
      assert.equal(err.data.node_id, '2');
      assert.equal(err.data.node_type, 'ImageInvert');
      assert.equal(err.data.exception_type, 'RuntimeError');
      assert.match(err.data.exception_message, /mock failure for the test/);
      const item = await client.getHistoryItem(promptId);
      assert.equal(item?.status?.status_str, 'error');
      const jobs = await client.listJobs({ status: ['failed'] });
      assert.ok(jobs.jobs.some((j) => j.id === promptId));
    } finally {
      server.mock!.setFaults({});
    }
  },
);
