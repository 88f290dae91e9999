// Every ComfyClient route against getTestServer(): the mock by default, a real ComfyUI with COMFYUI_TEST_URL.
// Only core nodes that need no model files are used, so the suite passes unchanged on a bare real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ComfyClient } from '../../src/core/comfy/client';
import { ComfyHttpError, isHttpError, isPromptValidationError, isProtocolError, isTimeoutError } from '../../src/core/comfy/errors';
import { newClientId, newPromptId } from '../../src/core/comfy/ids';
import { ComfySocket } from '../../src/core/comfy/socket';
import type { QueueItem } from '../../src/core/comfy/types';
import { DESTRUCTIVE, getTestServer, mockOnly, TEST_INPUT_SUBFOLDER, type TestServer } from '../helpers/server';
import { blockerPrompt, collectRun, invertPrompt, makePng, pngSize } from './clientHelpers';
import { startReverseProxy } from './reverseProxy';
import { waitFor } from '../helpers/wait';

let server: TestServer;
let client: ComfyClient;
const seed = Math.floor(Math.random() * 200);

before(async () => {
  // On the mock every node takes 20 ms, as a small job does on a CPU: a blocker keeps a prompt pending long enough.
  server = await getTestServer({ nodeDelayMs: 20 });
  client = new ComfyClient({ baseUrl: server.url, timeoutMs: 30_000 });
});
after(() => server?.close());

test('GET /system_stats (and probe) describe the server', async () => {
  const stats = await client.getSystemStats();
  assert.equal(typeof stats.system.os, 'string');
  assert.ok(Array.isArray(stats.devices));
  const probe = await client.probe();
  assert.equal(typeof probe.version, 'string');
});

test('GET /object_info has the core image nodes; /object_info/{class} one of them, {} for unknown', async () => {
  const info = await client.getObjectInfo();
  for (const cls of ['EmptyImage', 'ImageInvert', 'ImageBlur', 'SaveImage', 'PreviewImage', 'LoadImage']) assert.ok(info[cls], cls);
  assert.equal(info.SaveImage!.output_node, true);
  const one = await client.getNodeInfo('EmptyImage');
  assert.deepEqual(Object.keys(one?.input?.required ?? {}).sort(), ['batch_size', 'color', 'height', 'width']);
  assert.equal(await client.getNodeInfo('NoSuchNode_xyz'), undefined);
});

test('GET /prompt and GET /queue', async () => {
  const info = await client.getPromptInfo();
  assert.equal(typeof info.exec_info.queue_remaining, 'number');
  const q = await client.getQueue();
  assert.ok(Array.isArray(q.queue_running) && Array.isArray(q.queue_pending));
});

test('POST /prompt 400: a missing required input gives typed node_errors', async () => {
  const prompt = invertPrompt(8, 8, 0, 'cw_test');
  delete (prompt['2']!.inputs as Record<string, unknown>).image;
  const err = await client.queuePrompt({ prompt }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isPromptValidationError(err), String(err));
  assert.equal(err.status, 400);
  assert.equal(err.promptError.error.type, 'prompt_outputs_failed_validation');
  const nodeErr = err.promptError.node_errors['2'];
  assert.ok(nodeErr, JSON.stringify(err.promptError.node_errors));
  assert.equal(nodeErr.class_type, 'ImageInvert');
  assert.equal(nodeErr.errors[0]!.type, 'required_input_missing');
  assert.deepEqual(nodeErr.dependent_outputs, ['3']);
  assert.match(err.message, /^ComfyUI rejected the prompt: Prompt outputs failed validation.*1 node has errors\.$/);
});

test('POST /prompt 400: unknown class and no output node', async () => {
  const unknown = await client.queuePrompt({ prompt: { '1': { class_type: 'NoSuchNode_xyz', inputs: {} } } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isPromptValidationError(unknown), String(unknown));
  // 0.3.64 says invalid_prompt, newer servers missing_node_type.
  assert.ok(['invalid_prompt', 'missing_node_type'].includes(unknown.promptError.error.type), unknown.promptError.error.type);
  const noOutput = await client.queuePrompt({ prompt: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isPromptValidationError(noOutput));
  assert.equal(noOutput.promptError.error.type, 'prompt_no_outputs');
});

test('POST /prompt accepts a client-chosen canonical prompt_id; GET /history/{id} then has it', async () => {
  const id = newPromptId();
  const res = await client.queuePrompt({ prompt: invertPrompt(8, 8, seed * 1000 + 1, 'cw_client'), prompt_id: id });
  assert.equal(res.prompt_id, id);
  assert.equal(typeof res.number, 'number');
  assert.deepEqual(res.node_errors, {});
  // Poll history (no socket in this suite): the tiny prompt finishes quickly on any server.
  const item = await waitFor(() => client.getHistoryItem(id), { timeoutMs: 30_000, message: 'the prompt reached the history' });
  assert.equal(item.prompt[1], id);
  assert.equal(item.status?.status_str, 'success');
  assert.ok(Array.isArray((item.outputs['3'] as { images?: unknown[] }).images));

  const paged = await client.getHistory({ maxItems: 1 });
  assert.equal(Object.keys(paged).length, 1);
  assert.equal(await client.getHistoryItem('00000000-0000-0000-0000-000000000000'), undefined);

  await client.deleteHistory([id]);
  assert.equal(await client.getHistoryItem(id), undefined);
});

test('POST /queue delete drops a pending prompt; POST /interrupt with the running prompt’s id stops it', async () => {
  const ids = (items: QueueItem[]) => items.map((i) => i[1]);
  const blocker = newPromptId();
  const behind = newPromptId();
  await client.queuePrompt({ prompt: blockerPrompt(40), prompt_id: blocker });
  await client.queuePrompt({ prompt: invertPrompt(8, 8, seed * 1000 + 2, 'cw_client'), prompt_id: behind });
  const state = await waitFor(
    async () => {
      if (ids((await client.getQueue()).queue_running).includes(blocker)) return 'running';
      return (await client.getHistoryItem(blocker)) ? 'finished' : undefined;
    },
    { timeoutMs: 60_000, message: 'the blocker runs' },
  );
  assert.equal(state, 'running', 'the blocker finished before it was seen running: too fast a server for this test (a mock needs --node-delay)');
  assert.ok(ids((await client.getQueue()).queue_pending).includes(behind), 'queued behind the blocker');

  await client.deleteFromQueue([behind]);
  const afterDelete = await client.getQueue();
  assert.ok(!ids(afterDelete.queue_pending).includes(behind), 'the queue no longer lists the deleted prompt');
  assert.ok(ids(afterDelete.queue_running).includes(blocker), 'a delete does not touch the running prompt');

  await client.interrupt(blocker);
  const item = await waitFor(() => client.getHistoryItem(blocker), { timeoutMs: 60_000, message: 'the interrupted blocker in the history' });
  assert.equal(item.status?.status_str, 'error');
  assert.ok(
    item.status?.messages.some(([type]) => type === 'execution_interrupted'),
    JSON.stringify(item.status?.messages.map(([type]) => type)),
  );
  // The deleted prompt never runs: once the blocker is done it is neither queued nor in the history.
  const q = await client.getQueue();
  assert.ok(![...ids(q.queue_running), ...ids(q.queue_pending)].includes(behind));
  assert.equal(await client.getHistoryItem(behind), undefined);
});

test(
  'POST /free with free_memory drops the cache: the same prompt then runs every node again',
  { skip: mockOnly('/free applied at once when idle (a real server applies it later on its worker thread, with no signal when done)') },
  async () => {
    const prompt = invertPrompt(8, 8, seed * 1000 + 3, 'cw_free');
    const cachedNodes = async (): Promise<string[]> => {
      const id = newPromptId();
      await client.queuePrompt({ prompt, prompt_id: id });
      const item = await waitFor(() => client.getHistoryItem(id), { timeoutMs: 30_000, message: `${id} in the history` });
      const cached = item.status?.messages.find(([type]) => type === 'execution_cached')?.[1];
      return [...((cached?.['nodes'] as string[] | undefined) ?? [])].sort();
    };
    await cachedNodes();
    assert.deepEqual(await cachedNodes(), Object.keys(prompt).sort(), 'the same prompt again: every node from the cache');
    await server.mock!.idle();
    await client.free({ unloadModels: false, freeMemory: true });
    assert.deepEqual(await cachedNodes(), [], 'after /free: nothing from the cache');
  },
);

test('POST /interrupt without a prompt id', { skip: DESTRUCTIVE }, async () => {
  await client.interrupt();
});

test('POST /queue clear and POST /history clear', { skip: DESTRUCTIVE }, async () => {
  await client.clearQueue();
  assert.equal((await client.getQueue()).queue_pending.length, 0);
  await client.clearHistory();
  assert.deepEqual(await client.getHistory(), {});
});

test('POST /upload/image stores a PNG (identical bytes reuse the name) and GET /view returns it', async () => {
  const png = makePng(5, 3, seed);
  const name = `cw_upload_${process.pid}_${seed}.png`;
  const up = await client.uploadImage({ data: png, filename: name, subfolder: TEST_INPUT_SUBFOLDER, overwrite: true });
  assert.equal(up.name, name);
  assert.equal(up.type, 'input');
  assert.equal(up.subfolder, TEST_INPUT_SUBFOLDER);
  const again = await client.uploadImage({ data: png, filename: name, subfolder: TEST_INPUT_SUBFOLDER });
  assert.equal(again.name, name, 'identical bytes are not stored twice');

  const viewed = await client.view({ filename: name, type: 'input', subfolder: TEST_INPUT_SUBFOLDER });
  assert.equal(viewed.contentType, 'image/png');
  assert.deepEqual(pngSize(viewed.bytes), { width: 5, height: 3 });
  assert.deepEqual(Buffer.from(viewed.bytes), png);

  const nested = `${TEST_INPUT_SUBFOLDER}/sub`;
  const sub = await client.uploadImage({ data: png, filename: name, subfolder: nested, type: 'input', overwrite: true });
  assert.equal(sub.subfolder, nested);
  const fromSub = await client.view({ filename: name, type: 'input', subfolder: nested });
  assert.deepEqual(pngSize(fromSub.bytes), { width: 5, height: 3 });
});

test('POST /upload/mask applies a mask to an uploaded image', async () => {
  const name = `cw_masked_${process.pid}_${seed}.png`;
  await client.uploadImage({ data: makePng(4, 4, seed + 1), filename: name, subfolder: TEST_INPUT_SUBFOLDER, overwrite: true });
  const mask = await client.uploadMask({
    data: makePng(4, 4, seed + 2),
    filename: `cw_mask_${seed}.png`,
    type: 'input',
    subfolder: TEST_INPUT_SUBFOLDER,
    originalRef: { filename: name, type: 'input', subfolder: TEST_INPUT_SUBFOLDER },
  });
  assert.equal(typeof mask.name, 'string');
  assert.equal(mask.type, 'input');
  const viewed = await client.view({ filename: mask.name, type: mask.type, subfolder: mask.subfolder });
  assert.deepEqual(pngSize(viewed.bytes), { width: 4, height: 4 });
});

test('GET /view errors: 404 for a missing file, 400 for a path escape', async () => {
  const missing = await client.view({ filename: 'cw_does_not_exist.png', type: 'output' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isHttpError(missing, 404), String(missing));
  assert.match(missing.message, /HTTP 404/);
  const escape = await client.view({ filename: '../etc/passwd', type: 'output' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isHttpError(escape, 400), String(escape));
});

test('GET /view_metadata: 404 when the file does not exist', async () => {
  const err = await client.viewMetadata('loras', 'cw_missing.safetensors').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isHttpError(err, 404), String(err));
});

test('GET /embeddings, /extensions, /models, /models/{folder} (404 for an unknown folder), /features', async () => {
  assert.ok(Array.isArray(await client.getEmbeddings()));
  assert.ok(Array.isArray(await client.getExtensions()));
  const models = await client.getModels();
  assert.ok(models.includes('checkpoints'), models.join());
  assert.ok(Array.isArray(await client.getModelFiles('checkpoints')));
  const err = await client.getModelFiles('cw_no_such_folder').then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isHttpError(err, 404), String(err));
  const features = await client.getFeatures();
  assert.equal(features.supports_preview_metadata, true);
});

test('jobs: listJobs works with or without /api/jobs; cancelling an unknown prompt cancels nothing', async () => {
  const listing = await client.listJobs({ limit: 5 });
  assert.ok(['jobs-api', 'queue-history'].includes(listing.source));
  assert.equal(listing.source === 'jobs-api', await client.hasJobsApi());
  assert.ok(listing.jobs.length <= 5);
  for (const j of listing.jobs) assert.ok(['pending', 'in_progress', 'completed', 'failed', 'cancelled'].includes(j.status), j.status);
  const res = await client.cancelPrompt('00000000-0000-0000-0000-000000000000').catch((e: unknown) => {
    // A jobs API may answer 404 {"error": …} for an unknown job; that also means "nothing cancelled".
    if (e instanceof ComfyHttpError && e.status === 404) return { cancelled: false };
    throw e;
  });
  assert.equal(res.cancelled, false);
});

test('through a reverse proxy with a path prefix, a token query and a bearer header: HTTP and WebSocket', async () => {
  const proxy = await startReverseProxy(server.url, '/gpu/comfy', 'tok-12345', 'bearer-67890');
  const viaProxy = new ComfyClient({ baseUrl: proxy.url, query: { token: 'tok-12345' }, headers: { Authorization: 'Bearer bearer-67890' } });
  const socket = ComfySocket.forClient(viaProxy, { clientId: newClientId() });
  try {
    assert.ok((await viaProxy.getObjectInfo()).EmptyImage);
    const png = makePng(3, 3, seed + 5);
    const up = await viaProxy.uploadImage({ data: png, filename: `cw_proxy_${seed}.png`, subfolder: TEST_INPUT_SUBFOLDER, overwrite: true });
    assert.equal(up.subfolder, TEST_INPUT_SUBFOLDER);
    assert.deepEqual(pngSize((await viaProxy.view({ filename: up.name, type: 'input', subfolder: up.subfolder })).bytes), { width: 3, height: 3 });

    await socket.whenOpen();
    const run = collectRun(socket);
    const id = (await viaProxy.queuePrompt({ prompt: invertPrompt(8, 8, seed * 7 + 3, 'cw_proxy'), client_id: socket.clientId })).prompt_id;
    run.setPromptId(id);
    assert.ok((await run.done).some((m) => m.type === 'execution_success'));
    assert.equal(proxy.refused, 0);

    // Without the credentials the proxy says 401 with an HTML page: an HTTP error naming auth, no secret in it.
    const bare = new ComfyClient({ baseUrl: proxy.url, query: { token: 'wrong-token' } });
    const err = await bare.getQueue().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isHttpError(err, 401), String(err));
    assert.match(err.message, /auth token or headers/);
    assert.ok(!err.message.includes('wrong-token'));
  } finally {
    await socket.close();
    await proxy.close();
  }
});

test(
  'mock faults: an HTML 500 from a proxy, truncated JSON, and a slow server',
  { skip: mockOnly('fault switches (HTML 500, truncated JSON, latency)') },
  async () => {
    const mock = server.mock!;
    try {
      mock.setFaults({ html500: ['/object_info'] });
      const html = await client.getObjectInfo().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isHttpError(html, 500), String(html));
      assert.match(html.message, /an HTML page/);
      assert.doesNotMatch(html.message, /<script>/);

      mock.setFaults({ truncatedJson: ['/queue'] });
      const cut = await client.getQueue().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isProtocolError(cut), String(cut));

      mock.setFaults({ latencyMs: 2000 });
      const slow = await client.getPromptInfo({ timeoutMs: 100 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isTimeoutError(slow), String(slow));
    } finally {
      mock.setFaults({});
    }
  },
);

test('with the jobs API ([N] servers): listJobs and cancelPrompt use /api/jobs', { skip: mockOnly('jobsApi switch') }, async () => {
  const withJobs = await getTestServer({ jobsApi: true });
  try {
    const c = new ComfyClient({ baseUrl: withJobs.url });
    const id = newPromptId();
    await c.queuePrompt({ prompt: invertPrompt(8, 8, 1, 'cw_jobs'), prompt_id: id });
    await withJobs.mock!.idle();
    const listing = await c.listJobs({ status: ['completed'] });
    assert.equal(listing.source, 'jobs-api');
    assert.ok(listing.jobs.some((j) => j.id === id && j.status === 'completed'));
    assert.equal((await c.getJob(id))?.id, id);
    assert.equal(await c.getJob(newPromptId()), undefined);
    const res = await c.cancelPrompt(id);
    assert.equal(res.via, 'jobs-api');
    assert.equal(res.cancelled, false, 'a finished job cannot be cancelled');
  } finally {
    await withJobs.close();
  }
});
